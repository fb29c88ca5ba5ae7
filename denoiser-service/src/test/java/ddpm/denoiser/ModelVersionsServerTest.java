package ddpm.denoiser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.inject.AbstractModule;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceFutureStub;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc.ModelControlServiceBlockingStub;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.api.v1.VersionState;
import ddpm.api.v1.VersionStatus;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Versions over gRPC: readiness, the operator's LoadModel and UnloadModel, refusals, and a full queue. */
class ModelVersionsServerTest {
  private static final int T = 50;
  private static final ModelCard POINT = ExactDenoisers.card("point", 2, 2, 1, T, "linear");
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ZERO, 8, 1);
  /** Long enough that no pass of the watcher happens during a test except the first. */
  private static final Duration NO_POLLING = Duration.ofHours(1);

  @TempDir Path root;
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  /**
   * DJL's loader, with a gate in front of the networks: after the first {@code free} evaluations (warm-up
   * is one), every evaluation waits until the test opens it.
   */
  private static final class GatedLoader implements EpsNetworkLoader {
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch evaluating = new CountDownLatch(1);
    final AtomicInteger free;

    GatedLoader(int free) {
      this.free = new AtomicInteger(free);
    }

    @Override
    public EpsNetwork load(Path versionDir, ModelCard card) {
      EpsNetwork network = DjlEpsNetwork.load(versionDir, card);
      return new EpsNetwork() {
        @Override
        public float[] predict(float[] xt, int[] t) {
          if (free.getAndDecrement() <= 0) {
            evaluating.countDown();
            Latches.await(open);
          }
          return network.predict(xt, t);
        }

        @Override
        public void close() {
          network.close();
        }
      };
    }
  }

  private ServerRunner start(EpsNetworkLoader loader) throws IOException {
    DenoiserConfig config = new DenoiserConfig(Endpoint.loopback(), root, BATCHING, NO_POLLING, Duration.ofMinutes(1),
        BATCHING.queueCapacity());
    return grpc.register(DenoiserServer.start(config, new AbstractModule() {
      @Override
      protected void configure() {
        bind(EpsNetworkLoader.class).toInstance(loader);
      }
    }));
  }

  private ModelRepository repository() {
    return new ModelRepository(root);
  }

  @Test
  void healthIsNotServingUntilEveryDefaultIsWarmedUp() throws Exception {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    GatedLoader loader = new GatedLoader(0);
    ServerRunner server = start(loader);
    ManagedChannel channel = grpc.channelTo(server);
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
    HealthCheckRequest all = HealthCheckRequest.getDefaultInstance();

    Latches.await(loader.evaluating);
    assertEquals(ServingStatus.NOT_SERVING, health.check(all).getStatus(), "warm-up has not finished");
    try (Context.CancellableContext watching = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> changes = watching.call(() -> health.watch(all));
      assertEquals(ServingStatus.NOT_SERVING, changes.next().getStatus());
      loader.open.countDown();
      assertEquals(ServingStatus.SERVING, changes.next().getStatus());
    }
  }

  @Test
  void loadModelMakesANewVersionTheDefaultAndUnloadModelFallsBack() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {1, 1, 1, 1});
    ServerRunner server = start(DjlEpsNetwork::load);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel);
    assertEquals(1, predict(denoiser, 0).getVersion());

    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {-1, -1, -1, -1});
    assertEquals(1, predict(denoiser, 0).getVersion(), "the watcher has not seen version 2 yet");
    assertEquals(2, control.loadModel(LoadModelRequest.newBuilder().setModel("point").build()).getVersion());
    assertEquals(2, predict(denoiser, 0).getVersion());
    assertEquals(1, predict(denoiser, 1).getVersion(), "a request that names version 1 keeps getting it");

    control.unloadModel(UnloadModelRequest.newBuilder().setModel("point").setVersion(2).build());
    assertEquals(1, predict(denoiser, 0).getVersion());
    StatusRuntimeException named = assertThrows(StatusRuntimeException.class, () -> predict(denoiser, 2));
    assertEquals(Status.Code.FAILED_PRECONDITION, named.getStatus().getCode());
    assertTrue(named.getStatus().getDescription().contains("LoadModel"), named.getStatus().getDescription());
    ModelVersions point = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0);
    assertEquals(1, point.getDefaultVersion());
    assertEquals(List.of(VersionState.READY, VersionState.UNLOADED),
        point.getStatusesList().stream().map(VersionStatus::getState).toList());

    StatusRuntimeException badVersion = assertThrows(StatusRuntimeException.class,
        () -> control.unloadModel(UnloadModelRequest.newBuilder().setModel("point").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, badVersion.getStatus().getCode());
    assertTrue(badVersion.getStatus().getDescription().startsWith("version"));
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
        () -> control.loadModel(LoadModelRequest.newBuilder().setModel("nobody").build()));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
  }

  @Test
  void aBrokenVersionIsRefusedWithItsReasonWhileTheOldOneServes() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    repository().publish("point", POINT::write);
    ServerRunner server = start(DjlEpsNetwork::load);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel);

    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> control.loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(2).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
    assertTrue(refused.getStatus().getDescription().contains("saved_model.pb"), refused.getStatus().getDescription());
    assertEquals(1, predict(denoiser, 0).getVersion());
    VersionStatus v2 = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getStatuses(1);
    assertEquals(VersionState.REFUSED, v2.getState());
    assertTrue(v2.getReason().contains("saved_model.pb"), v2.getReason());
  }

  @Test
  void aFullQueueAnswersResourceExhaustedAtOnceAndTheQueuedCallsComplete() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    GatedLoader loader = new GatedLoader(1);
    ServerRunner server = start(loader);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    DenoiserServiceFutureStub async = DenoiserServiceGrpc.newFutureStub(channel);
    ListenableFuture<PredictNoiseResponse> running = async.predictNoise(request(1, 1));
    Latches.await(loader.evaluating);

    // The engine is held by the running call, so 8 of these 12 one-image calls fill the queue of 8.
    List<ListenableFuture<PredictNoiseResponse>> calls = new ArrayList<>();
    CountDownLatch refused = new CountDownLatch(4);
    for (int i = 0; i < 12; i++) {
      ListenableFuture<PredictNoiseResponse> call =
          async.withDeadlineAfter(1, TimeUnit.MINUTES).predictNoise(request(1, 1));
      call.addListener(() -> {
        if (statusOf(call) != null) {
          refused.countDown();
        }
      }, MoreExecutors.directExecutor());
      calls.add(call);
    }
    Latches.await(refused);
    loader.open.countDown();
    List<Status> refusals = new ArrayList<>();
    for (ListenableFuture<PredictNoiseResponse> call : calls) {
      Status status = statusOf(call);
      if (status != null) {
        refusals.add(status);
      }
    }
    assertEquals(4, refusals.size(), refusals.toString());
    for (Status refusal : refusals) {
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, refusal.getCode());
      assertTrue(refusal.getDescription().contains("queue is full"), refusal.getDescription());
    }
    assertEquals(1, predict(denoiser, 1).getVersion());
    assertTrue(running.isDone());
  }

  /** The failure of a call once it has finished, or null when it succeeded. */
  static Status statusOf(ListenableFuture<PredictNoiseResponse> call) {
    try {
      call.get(1, TimeUnit.MINUTES);
      return null;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static PredictNoiseResponse predict(DenoiserServiceBlockingStub stub, long version) {
    return stub.withDeadlineAfter(1, TimeUnit.MINUTES).predictNoise(request(version, 1));
  }

  private static PredictNoiseRequest request(long version, int n) {
    return PredictNoiseRequest.newBuilder()
        .setModel("point")
        .setVersion(version)
        .setXT(TensorCodec.float32(new float[n * 4], n, 2, 2, 1))
        .setT(TensorCodec.int32(new int[n], n))
        .build();
  }
}
