package ddpm.sampler.client;

import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelRepository;
import ddpm.sampler.core.ModelSpec;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ε_θ over the wire to the real denoiser, with and without extra inputs. */
class RemoteEpsModelTest {
  private static final int T = 40;
  private static final ImageShape SHAPE = new ImageShape(2, 2, 1);
  private static final NoiseSchedule FULL = NoiseSchedule.of(ScheduleKind.COSINE, T);
  private static final float[] X0 = {1, 0, -1, 0.5f};
  private static final float[] XT = {0.3f, -0.2f, 0.9f, 0.1f, -1.5f, 0.4f, 0.0f, 2.0f};
  private static final int[] STEPS = {39, 7};

  @TempDir Path root;
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  /** Every request the models below send, as sent. */
  private final List<PredictNoiseRequest> sent = new ArrayList<>();
  private Channel channel;

  @BeforeEach
  void startDenoiser() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, ExactDenoisers.card("point", 2, 2, 1, T, "cosine"), X0);
    ExactDenoisers.publishLabelledPointMass(repository, ExactDenoisers.card("labelled", 2, 2, 1, T, "cosine"), X0);
    ClientInterceptor recording = new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void sendMessage(Q message) {
            synchronized (sent) {
              sent.add((PredictNoiseRequest) message);
            }
            super.sendMessage(message);
          }
        };
      }
    };
    channel = ClientInterceptors.intercept(
        grpc.channelTo(grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)))), recording);
  }

  private RemoteEpsModel model(String name) {
    return new RemoteEpsModel(
        request -> DenoiserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES)
            .predictNoise(request),
        new ModelSpec(name, 1, SHAPE, T, ScheduleKind.COSINE, 0, 0));
  }

  @Test
  void withoutExtraInputsItSendsTheSameBytesAsBefore() {
    float[] eps = model("point").predict(XT, STEPS, ExtraInputs.NONE);

    assertAllClose(ExactEps.pointMass(FULL, X0).predict(XT, STEPS), eps, 1e-4, 1e-4);
    PredictNoiseRequest before = PredictNoiseRequest.newBuilder()
        .setModel("point")
        .setVersion(1)
        .setXT(TensorCodec.float32(XT, 2, 2, 2, 1))
        .setT(TensorCodec.int32(STEPS, 2))
        .build();
    synchronized (sent) {
      assertEquals(1, sent.size());
      assertArrayEquals(before.toByteArray(), sent.get(0).toByteArray());
    }
  }

  @Test
  void sendsExtraInputsAsTensorsWithTheBatchFirstAndGetsEachImagesOwnRows() {
    ExtraInputs labels = ExtraInputs.of(Map.of(ExactDenoisers.LABEL, ExtraInput.int32(new int[] {3, -1})));

    float[] eps = model("labelled").predict(XT, STEPS, labels);

    assertAllClose(ExactDenoisers.labelledPointMass(FULL, X0).predict(XT, STEPS, labels), eps, 1e-4, 1e-4);
    synchronized (sent) {
      assertEquals(Map.of(ExactDenoisers.LABEL, TensorCodec.int32(new int[] {3, -1}, 2)), sent.get(0).getInputsMap());
    }
  }

  @Test
  void theDenoiserRefusesACallWithoutTheInputsItsModelDeclares() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> model("labelled").predict(XT, STEPS));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("inputs[\"y\"]"), e.getStatus().getDescription());
  }
}
