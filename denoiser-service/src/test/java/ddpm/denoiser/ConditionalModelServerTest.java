package ddpm.denoiser;

import static ddpm.denoiser.DenoiserServerTest.random;
import static ddpm.denoiser.ModelVersionsServerTest.statusOf;
import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.inject.AbstractModule;
import com.google.protobuf.ByteString;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceFutureStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.Tensor;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A conditional model, the labelled point mass with its int32 input y, served by the real denoiser. */
class ConditionalModelServerTest {
  private static final int T = 50;
  /** Engine batches of 4 and room for 8 waiting images. */
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ZERO, 8, 1);
  private static final ModelCard LABELLED =
      ExactDenoisers.withClasses(ExactDenoisers.card("labelled", 2, 2, 1, T, "linear"), 10);
  private static final ModelCard POINT = ExactDenoisers.card("point", 2, 2, 1, T, "linear");
  private static final float[] X0 = {0.5f, -0.5f, 0.25f, 1};
  private static final String Y = ExactDenoisers.LABEL;
  private static final EpsModel ORACLE = ExactDenoisers.labelledPointMass(NoiseSchedule.of(ScheduleKind.LINEAR, T), X0);

  @TempDir static Path root;
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  @BeforeAll
  static void publishModels() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishLabelledPointMass(repository, LABELLED, X0);
    ExactDenoisers.publishPointMass(repository, POINT, X0);
  }

  /**
   * DJL's loader, recording the extra inputs of every engine call of the labelled model; once it has had its
   * warm-up, its first call waits until the test opens the gate.
   */
  private static final class GatedLoader implements EpsNetworkLoader {
    final List<ExtraInputs> calls = new ArrayList<>();
    final CountDownLatch evaluating = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);

    @Override
    public EpsNetwork load(Path versionDir, ModelCard card) {
      EpsNetwork network = DjlEpsNetwork.load(versionDir, card);
      if (!card.name().equals(LABELLED.name())) {
        return network;
      }
      return new EpsNetwork() {
        @Override
        public Map<String, InputSpec> extraInputs() {
          return network.extraInputs();
        }

        @Override
        public float[] predict(float[] xt, int[] t) {
          return predict(xt, t, ExtraInputs.NONE);
        }

        @Override
        public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
          synchronized (calls) {
            calls.add(inputs);
            if (calls.size() == 2) {
              evaluating.countDown();
              Latches.await(open);
            }
          }
          return network.predict(xt, t, inputs);
        }

        @Override
        public void close() {
          network.close();
        }
      };
    }
  }

  private ServerRunner start(EpsNetworkLoader loader) throws IOException {
    DenoiserConfig config = new DenoiserConfig(Endpoint.loopback(), root, BATCHING, Duration.ofHours(1),
        Duration.ofMinutes(1), BATCHING.queueCapacity());
    return grpc.register(DenoiserServer.start(config, new AbstractModule() {
      @Override
      protected void configure() {
        bind(EpsNetworkLoader.class).toInstance(loader);
      }
    }));
  }

  private DenoiserServiceBlockingStub blocking(ServerRunner server) {
    return DenoiserServiceGrpc.newBlockingStub(grpc.channelTo(server)).withDeadlineAfter(1, TimeUnit.MINUTES);
  }

  @Test
  void callsWithDifferentLabelsShareEngineCallsAndEachGetsTheRowsOfItsOwnLabel() throws Exception {
    GatedLoader loader = new GatedLoader();
    ServerRunner server = start(loader);
    DenoiserServiceFutureStub async = DenoiserServiceGrpc.newFutureStub(grpc.channelTo(server))
        .withDeadlineAfter(1, TimeUnit.MINUTES);
    ListenableFuture<PredictNoiseResponse> running = async.predictNoise(labelled(random(4, 1), new int[] {3}, 0));
    Latches.await(loader.evaluating);

    // The engine is held, so 8 of these 9 one-image calls fill the queue of 8 and one is refused: once it is,
    // the other 8 wait together, each with its own label and timestep.
    List<PredictNoiseRequest> requests = new ArrayList<>();
    List<ListenableFuture<PredictNoiseResponse>> calls = new ArrayList<>();
    CountDownLatch refused = new CountDownLatch(1);
    for (int i = 0; i < 9; i++) {
      PredictNoiseRequest request = labelled(random(4, 10 + i), new int[] {(7 * i) % T}, i + 1);
      ListenableFuture<PredictNoiseResponse> call = async.predictNoise(request);
      call.addListener(() -> {
        if (statusOf(call) != null) {
          refused.countDown();
        }
      }, Runnable::run);
      requests.add(request);
      calls.add(call);
    }
    Latches.await(refused);
    loader.open.countDown();

    TreeSet<Integer> served = new TreeSet<>();
    for (int i = 0; i < calls.size(); i++) {
      Status status = statusOf(calls.get(i));
      if (status != null) {
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
        continue;
      }
      PredictNoiseRequest request = requests.get(i);
      float[] xt = TensorCodec.toFloats(request.getXT(), EpsContract.X_T);
      int[] t = TensorCodec.toInts(request.getT(), EpsContract.T);
      int[] y = TensorCodec.toInts(request.getInputsOrThrow(Y), Y);
      assertAllClose(ORACLE.predict(xt, t, labels(y)),
          TensorCodec.toFloats(calls.get(i).get().getEps(), EpsContract.EPS), 1e-4, 1e-4);
      served.add(y[0]);
    }
    running.get();
    assertEquals(8, served.size());

    // Warm-up, the held call, then the 8 waiting calls in two full engine calls.
    List<ExtraInputs> engineCalls;
    synchronized (loader.calls) {
      engineCalls = List.copyOf(loader.calls);
    }
    assertEquals(4, engineCalls.size());
    assertEquals(labels(0), engineCalls.get(1));
    TreeSet<Integer> batched = new TreeSet<>();
    for (ExtraInputs call : engineCalls.subList(2, 4)) {
      int[] y = call.asMap().get(Y).ints();
      assertEquals(4, y.length);
      for (int label : y) {
        batched.add(label);
      }
    }
    assertEquals(served, batched);
  }

  @Test
  void servesEachImageAtItsOwnLabelAndRefusesInputsThatDoNotMatchTheSignature() throws IOException {
    ServerRunner server = start(DjlEpsNetwork::load);
    DenoiserServiceBlockingStub stub = blocking(server);
    float[] xt = random(12, 2);
    int[] t = {0, 25, 49};
    int[] y = {2, 0, 5};
    PredictNoiseResponse response = stub.predictNoise(labelled(xt, t, y));
    assertAllClose(ORACLE.predict(xt, t, labels(y)), TensorCodec.toFloats(response.getEps(), EpsContract.EPS),
        1e-4, 1e-4);

    Tensor one = TensorCodec.int32(new int[] {1}, 1);
    assertRefused(stub, "inputs[\"y\"]: missing", r -> r.clearInputs());
    assertRefused(stub, "inputs[\"z\"]: model \"labelled\" version 1 takes no such input", r -> r.putInputs("z", one));
    assertRefused(stub, "inputs[\"y\"]: dtype must be INT32, got FLOAT32",
        r -> r.putInputs(Y, TensorCodec.float32(new float[] {1}, 1)));
    assertRefused(stub, "inputs[\"y\"]: shape must be [N] = [1] for model \"labelled\" version 1, got [1, 1]",
        r -> r.putInputs(Y, TensorCodec.int32(new int[] {1}, 1, 1)));
    assertRefused(stub, "inputs[\"y\"]: shape must be [N] = [1]",
        r -> r.putInputs(Y, TensorCodec.int32(new int[] {1, 2}, 2)));
    assertRefused(stub, "inputs[\"y\"]: shape must be [N, ...]", r -> r.putInputs(Y, TensorCodec.int32(new int[] {1})));
    assertRefused(stub, "inputs[\"y\"]: dtype must be INT32 or FLOAT32, got UINT8",
        r -> r.putInputs(Y, TensorCodec.uint8(new byte[] {1}, 1)));
    assertRefused(stub, "inputs[\"y\"]: data has 3 bytes",
        r -> r.putInputs(Y, one.toBuilder().setData(ByteString.copyFrom(new byte[3])).build()));
    assertRefused(stub, "inputs[\"y\"]: model \"point\" version 1 takes no such input; its extra inputs are []",
        r -> r.setModel(POINT.name()));
  }

  @Test
  void anUnconditionalModelServesCallsWithoutExtraInputsAsBefore() throws IOException {
    DenoiserServiceBlockingStub stub = blocking(start(DjlEpsNetwork::load));
    float[] xt = random(8, 3);
    int[] t = {4, 44};
    PredictNoiseResponse response = stub.predictNoise(PredictNoiseRequest.newBuilder()
        .setModel(POINT.name())
        .setXT(TensorCodec.float32(xt, 2, 2, 2, 1))
        .setT(TensorCodec.int32(t, 2))
        .build());
    assertAllClose(ExactEps.pointMass(NoiseSchedule.of(ScheduleKind.LINEAR, T), X0).predict(xt, t),
        TensorCodec.toFloats(response.getEps(), EpsContract.EPS), 1e-4, 1e-4);
  }

  @Test
  void getModelInfoAndListModelsShowTheClassesOfAConditionalModelAndNoneOfAnUnconditionalOne() throws IOException {
    DenoiserServiceBlockingStub stub = blocking(start(DjlEpsNetwork::load));
    ModelInfo labelled = stub.getModelInfo(GetModelInfoRequest.newBuilder().setModel(LABELLED.name()).build());
    assertEquals(10, labelled.getNumClasses());
    assertEquals(10, labelled.getNullLabel());
    ModelInfo point = stub.getModelInfo(GetModelInfoRequest.newBuilder().setModel(POINT.name()).build());
    assertEquals(0, point.getNumClasses());
    assertEquals(0, point.getNullLabel());
    Map<String, Integer> classes = new TreeMap<>();
    for (ModelVersions model : stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList()) {
      classes.put(model.getName(), model.getStatuses(0).getNumClasses());
    }
    assertEquals(Map.of(LABELLED.name(), 10, POINT.name(), 0), classes);
  }

  /** Sends a valid one-image request for the labelled model after {@code edit}: INVALID_ARGUMENT naming the input. */
  private static void assertRefused(DenoiserServiceBlockingStub stub, String inMessage,
      UnaryOperator<PredictNoiseRequest.Builder> edit) {
    PredictNoiseRequest request = edit.apply(labelled(new float[4], new int[] {3}, 1).toBuilder()).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.predictNoise(request));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(inMessage), "\"" + inMessage + "\" not in: " + description);
  }

  private static PredictNoiseRequest labelled(float[] xt, int[] t, int... y) {
    return PredictNoiseRequest.newBuilder()
        .setModel(LABELLED.name())
        .setXT(TensorCodec.float32(xt, t.length, 2, 2, 1))
        .setT(TensorCodec.int32(t, t.length))
        .putInputs(Y, TensorCodec.int32(y, y.length))
        .build();
  }

  private static ExtraInputs labels(int... y) {
    return ExtraInputs.of(Map.of(Y, ExtraInput.int32(y)));
  }
}
