package ddpm.denoiser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.inject.AbstractModule;
import ddpm.api.v1.ClearDefaultVersionRequest;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceFutureStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelControlServiceGrpc.ModelControlServiceBlockingStub;
import ddpm.api.v1.ModelVersions;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.SetDefaultVersionRequest;
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
import ddpm.repository.Folders;
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
import java.nio.file.Files;
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

/**
 * Versions over gRPC: readiness, the operator's LoadModel and UnloadModel, the pinned default, the model's contract,
 * refusals, a full queue, and the repository watched both ways.
 */
class ModelVersionsServerTest {
  private static final int T = 50;
  private static final ModelCard POINT = ExactDenoisers.card("point", 2, 2, 1, T, "linear");
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ZERO, 8, 1);
  /** Long enough that no pass of the watcher happens during a test except the first. */
  private static final Duration NO_POLLING = Duration.ofHours(1);
  /** For the tests of the watcher, which wait on what it does, never on time. */
  private static final Duration FAST_POLLING = Duration.ofMillis(20);

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

  /**
   * DJL's loader, observing one version folder: counts each load of it as it starts and as it fails, and each
   * network loaded from it as it closes.
   */
  private static final class ObservedLoader implements EpsNetworkLoader {
    final Path observed;
    final CountDownLatch started;
    final CountDownLatch failed = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);

    ObservedLoader(Path observed, int loads) {
      this.observed = observed;
      this.started = new CountDownLatch(loads);
    }

    @Override
    public EpsNetwork load(Path versionDir, ModelCard card) {
      if (!versionDir.equals(observed)) {
        return DjlEpsNetwork.load(versionDir, card);
      }
      started.countDown();
      EpsNetwork network;
      try {
        network = DjlEpsNetwork.load(versionDir, card);
      } catch (RuntimeException e) {
        failed.countDown();
        throw e;
      }
      return new EpsNetwork() {
        @Override
        public float[] predict(float[] xt, int[] t) {
          return network.predict(xt, t);
        }

        @Override
        public void close() {
          network.close();
          closed.countDown();
        }
      };
    }
  }

  private ServerRunner start(EpsNetworkLoader loader) throws IOException {
    return start(loader, NO_POLLING);
  }

  /** A denoiser whose watcher looks at the repository every {@link #FAST_POLLING}, and a stub to it. */
  private DenoiserServiceBlockingStub startWatching(EpsNetworkLoader loader) throws IOException {
    return DenoiserServiceGrpc.newBlockingStub(grpc.channelTo(start(loader, FAST_POLLING)));
  }

  private ServerRunner start(EpsNetworkLoader loader, Duration poll) throws IOException {
    DenoiserConfig config = new DenoiserConfig(Endpoint.loopback(), root, BATCHING, poll, Duration.ofMinutes(1),
        BATCHING.queueCapacity());
    return grpc.register(DenoiserServer.start(config, new AbstractModule() {
      @Override
      protected void configure() {
        bind(EpsNetworkLoader.class).toInstance(loader);
      }
    }));
  }

  /** Returns once grpc.health.v1 reports SERVING: the watcher's first pass is done. */
  private static void awaitServing(ManagedChannel channel) {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
    try (Context.CancellableContext watching = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> changes = watching.call(() -> health.watch(HealthCheckRequest.getDefaultInstance()));
      while (changes.next().getStatus() != ServingStatus.SERVING) {
        // Each change of status arrives in turn; the first SERVING ends the wait.
      }
    } catch (Exception e) {
      throw new AssertionError("the denoiser never reported SERVING", e);
    }
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

  @Test
  void setDefaultVersionPinsThePromotionWaitsForItAndClearDefaultVersionUnpins() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {1, 1, 1, 1});
    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {-1, -1, -1, -1});
    ServerRunner server = start(DjlEpsNetwork::load);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel);
    assertEquals(2, predict(denoiser, 0).getVersion());

    assertEquals(1, control.setDefaultVersion(pin(1)).getVersion());
    assertEquals(1, predict(denoiser, 0).getVersion());
    ModelVersions pinned = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0);
    assertEquals(1, pinned.getDefaultVersion());
    assertTrue(pinned.getPinned());

    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {0, 0, 0, 0});
    assertEquals(3, control.loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(3).build())
        .getVersion());
    assertEquals(1, predict(denoiser, 0).getVersion(), "a newer READY version waits under the pin");
    assertEquals(1, denoiser.getModelInfo(GetModelInfoRequest.newBuilder().setModel("point").build()).getVersion());

    StatusRuntimeException pinnedStays = assertThrows(StatusRuntimeException.class,
        () -> control.unloadModel(UnloadModelRequest.newBuilder().setModel("point").setVersion(1).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, pinnedStays.getStatus().getCode());
    assertTrue(pinnedStays.getStatus().getDescription().contains("ClearDefaultVersion"),
        pinnedStays.getStatus().getDescription());

    assertEquals(3, control.setDefaultVersion(pin(3)).getVersion(), "pinning the new version promotes it");
    assertEquals(3, predict(denoiser, 0).getVersion());
    control.setDefaultVersion(pin(2));
    assertEquals(2, predict(denoiser, 0).getVersion());
    assertEquals(3, control.clearDefaultVersion(ClearDefaultVersionRequest.newBuilder().setModel("point").build())
        .getDefaultVersion());
    assertEquals(3, predict(denoiser, 0).getVersion());
    assertFalse(denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getPinned());

    assertEquals(Status.Code.NOT_FOUND, refusal(() -> control.setDefaultVersion(pin(9))).getCode());
    Status noVersion = refusal(() -> control.setDefaultVersion(pin(0)));
    assertEquals(Status.Code.INVALID_ARGUMENT, noVersion.getCode());
    assertTrue(noVersion.getDescription().startsWith("version"), noVersion.getDescription());
    assertEquals(Status.Code.NOT_FOUND, refusal(() -> control.clearDefaultVersion(
        ClearDefaultVersionRequest.newBuilder().setModel("nobody").build())).getCode());
  }

  @Test
  void aVersionThatBreaksTheModelsContractIsFailedPreconditionNamingEachDifference() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    ExactDenoisers.publishPointMass(repository(), ExactDenoisers.card("point", 4, 4, 1, 100, "cosine"), new float[16]);
    ServerRunner server = start(DjlEpsNetwork::load);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    ModelControlServiceBlockingStub control = ModelControlServiceGrpc.newBlockingStub(channel);
    String differences = "image_shape [2, 2, 1] → [4, 4, 1], timesteps 50 → 100, schedule linear → cosine";

    // Until the watcher's first pass has refused version 2, version 0 still means it, and a request waits for
    // its load and gets the refusal.
    awaitServing(channel);
    assertEquals(1, predict(denoiser, 0).getVersion(), "version 1 set the contract, so version 2 never served");
    Status loadModel = refusal(
        () -> control.loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(2).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, loadModel.getCode());
    assertTrue(loadModel.getDescription().contains(differences), loadModel.getDescription());
    Status named = refusal(() -> denoiser.predictNoise(PredictNoiseRequest.newBuilder().setModel("point")
        .setVersion(2).setXT(TensorCodec.float32(new float[16], 1, 4, 4, 1)).setT(TensorCodec.int32(new int[1], 1))
        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, named.getCode());
    assertTrue(named.getDescription().contains(differences), named.getDescription());
    Status pinned = refusal(() -> control.setDefaultVersion(pin(2)));
    assertEquals(Status.Code.FAILED_PRECONDITION, pinned.getCode());
    VersionStatus v2 = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getStatuses(1);
    assertEquals(VersionState.REFUSED, v2.getState());
    assertTrue(v2.getReason().contains(differences), v2.getReason());
  }

  @Test
  void aPublishedVersionLoadsAndWaitsReadyUnderAPin() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    ObservedLoader loader = new ObservedLoader(root.resolve("point").resolve("2"), 1);
    ServerRunner server = start(loader, FAST_POLLING);
    ManagedChannel channel = grpc.channelTo(server);
    DenoiserServiceBlockingStub denoiser = DenoiserServiceGrpc.newBlockingStub(channel);
    ModelControlServiceGrpc.newBlockingStub(channel).setDefaultVersion(pin(1));

    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {1, 1, 1, 1});
    Latches.await(loader.started);
    assertEquals(2, predict(denoiser, 2).getVersion(), "the watcher's load of version 2 serves it");
    assertEquals(1, predict(denoiser, 0).getVersion());
    ModelVersions point = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0);
    assertEquals(List.of(VersionState.READY, VersionState.READY),
        point.getStatusesList().stream().map(VersionStatus::getState).toList());
    assertEquals(1, point.getDefaultVersion());
    assertTrue(point.getPinned());
  }

  @Test
  void deletingTheDefaultsFolderUnloadsItAndTheDefaultFallsBack() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {1, 1, 1, 1});
    ExactDenoisers.publishPointMass(repository(), POINT, new float[] {-1, -1, -1, -1});
    Path v2 = root.resolve("point").resolve("2");
    ObservedLoader loader = new ObservedLoader(v2, 1);
    DenoiserServiceBlockingStub denoiser = startWatching(loader);
    assertEquals(2, predict(denoiser, 0).getVersion());
    assertEquals(1, predict(denoiser, 1).getVersion());

    Folders.deleteTree(v2);
    Latches.await(loader.closed);
    assertEquals(1, predict(denoiser, 0).getVersion());
    assertEquals(1, denoiser.getModelInfo(GetModelInfoRequest.newBuilder().setModel("point").build()).getVersion());
    assertEquals(Status.Code.NOT_FOUND, refusal(() -> predict(denoiser, 2)).getCode());
    ModelVersions point = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0);
    assertEquals(List.of(1L), point.getVersionsList());
    assertEquals(1, point.getDefaultVersion());
  }

  @Test
  void aVersionCopiedInHalfwayIsRefusedThenServesOnceItsFilesAreComplete() throws IOException {
    ExactDenoisers.publishPointMass(repository(), POINT, new float[4]);
    Path v2 = root.resolve("point").resolve("2");
    ObservedLoader loader = new ObservedLoader(v2, 2);
    DenoiserServiceBlockingStub denoiser = startWatching(loader);
    assertEquals(1, predict(denoiser, 0).getVersion());

    // A copy (cp -r, rsync) rather than the atomic publish: the folder appears before its saved_model.pb.
    Path copying = root.resolve("point").resolve(".copying");
    ExactDenoisers.exportPointMass(copying, POINT, new float[] {1, 1, 1, 1});
    Path heldBack = Files.move(copying.resolve("saved_model.pb"), root.resolve("point").resolve(".saved_model.pb"));
    Files.move(copying, v2);
    Latches.await(loader.failed);
    // The loader fails before the version is marked REFUSED; a call for it waits for that load's end either way.
    assertEquals(Status.Code.FAILED_PRECONDITION, refusal(() -> predict(denoiser, 2)).getCode());
    VersionStatus refused = denoiser.listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getStatuses(1);
    assertEquals(VersionState.REFUSED, refused.getState());
    assertTrue(refused.getReason().contains("saved_model.pb"), refused.getReason());

    Files.move(heldBack, v2.resolve("saved_model.pb"));
    Latches.await(loader.started);
    assertEquals(2, predict(denoiser, 2).getVersion(), "the watcher tried it again once its files held still");
    assertEquals(2, predict(denoiser, 0).getVersion());
  }

  private static SetDefaultVersionRequest pin(long version) {
    return SetDefaultVersionRequest.newBuilder().setModel("point").setVersion(version).build();
  }

  /** The status a call that must fail fails with. */
  private static Status refusal(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus();
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
