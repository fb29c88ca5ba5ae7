package ddpm.denoiser.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.denoiser.batch.BatchListener;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.repository.Folders;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.Latches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transition of a version's state, the model's contract, the pinned default and the repository watched both
 * ways, with a fake network, time moved by hand, and each watcher pass run by the test.
 */
class ModelRegistryTest {
  private static final ModelCard CARD = ExactDenoisers.card("m", 1, 1, 1, 10, "linear");
  private static final long GRACE = TimeUnit.MINUTES.toNanos(2);
  private static final BatchingConfig BATCHING = new BatchingConfig(true, 4, Duration.ZERO, 16, 1);

  @TempDir Path root;
  private ModelRepository repository;
  private final List<FakeNetwork> loaded = new ArrayList<>();
  /** Version folders whose network "loads" but returns NaN, so that warm-up refuses it. */
  private final Set<Path> nanNetworks = ConcurrentHashMap.newKeySet();
  /** Version folders whose SavedModel "cannot be loaded". */
  private final Map<Path, String> unloadable = new ConcurrentHashMap<>();
  /** Version folders that "left the repository" while their load ran. */
  private final Set<Path> gone = ConcurrentHashMap.newKeySet();
  private final AtomicLong now = new AtomicLong();

  /** ε = x_t, or NaN for the folders in {@link #nanNetworks}; records where it was loaded and whether closed. */
  private final class FakeNetwork implements EpsNetwork {
    final Path dir;
    final String loadedOn = Thread.currentThread().getName();
    volatile boolean closed;
    /** The images of its first call, the warm-up. */
    volatile int warmUpImages;

    FakeNetwork(Path dir) {
      this.dir = dir;
    }

    @Override
    public float[] predict(float[] xt, int[] t) {
      if (warmUpImages == 0) {
        warmUpImages = t.length;
      }
      float[] eps = xt.clone();
      if (nanNetworks.contains(dir)) {
        eps[0] = Float.NaN;
      }
      return eps;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @BeforeEach
  void publishTwoVersions() throws IOException {
    repository = new ModelRepository(root);
    repository.publish("m", CARD::write);
    repository.publish("m", CARD::write);
  }

  private EpsNetwork load(Path dir, ModelCard card) {
    String reason = unloadable.get(dir);
    if (reason != null) {
      throw new IllegalStateException(reason);
    }
    if (gone.contains(dir)) {
      throw new NoSuchElementException(dir + " is gone");
    }
    FakeNetwork network = new FakeNetwork(dir);
    synchronized (loaded) {
      loaded.add(network);
    }
    return network;
  }

  /** {@link #load} once {@code open} opens. */
  private EpsNetworkLoader gated(CountDownLatch open) {
    return (dir, card) -> {
      Latches.await(open);
      return load(dir, card);
    };
  }

  private ModelRegistry registry(EpsNetworkLoader loader) {
    return new ModelRegistry(new ModelCatalog(repository),
        new VersionLoader(loader, BATCHING, ModelLoading.AT_START, c -> BatchListener.NONE), GRACE, now::get);
  }

  private ModelRegistry registry() {
    return registry(this::load);
  }

  private int loads() {
    synchronized (loaded) {
      return loaded.size();
    }
  }

  private FakeNetwork network(ServedModel model) {
    return (FakeNetwork) model.network();
  }

  private FakeNetwork network(int load) {
    synchronized (loaded) {
      return loaded.get(load);
    }
  }

  private Path versionDir(long version) {
    return root.resolve("m").resolve(Long.toString(version));
  }

  /** Deletes a folder of the repository, as an operator's rm -r. */
  private static void delete(Path dir) {
    try {
      Folders.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static VersionState state(ModelRegistry registry, long version) {
    return status(registry, version).state();
  }

  private static VersionStatus status(ModelRegistry registry, long version) {
    return registry.statuses(new ModelVersions("m", List.of(version))).get(0);
  }

  /** The served version, or the exception the registry refused it with. */
  private static ServedModel served(ModelRegistry registry, long version) {
    return await(serve(registry, version));
  }

  /** Version {@code version} of "m" once it is READY, as {@link ModelRegistry#submit} hands it to a call. */
  private static CompletableFuture<ServedModel> serve(ModelRegistry registry, long version) {
    return serve(registry, "m", version);
  }

  private static CompletableFuture<ServedModel> serve(ModelRegistry registry, String name, long version) {
    return registry.submit(name, version, CompletableFuture::completedFuture);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new AssertionError(e);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aListenerHearsEachChangeOfStateAndEachLoadWithItsDeviceAndDuration() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    VersionListener listener = new VersionListener() {
      @Override
      public void onState(String model, long version, VersionState state) {
        heard.add(model + "/" + version + " " + state);
      }

      @Override
      public void onLoaded(String model, long version, String device, String precision, String groupNorm,
          long loadNanos) {
        heard.add(model + "/" + version + " loaded on " + device + " in " + precision + " (" + groupNorm + ") in "
            + loadNanos + " ns");
      }

      @Override
      public void onRemoved(String model, long version) {
        heard.add(model + "/" + version + " removed");
      }
    };
    EpsNetworkLoader takesSevenNanos = (dir, card) -> {
      now.addAndGet(7);
      return load(dir, card);
    };
    try (ModelRegistry registry = new ModelRegistry(new ModelCatalog(repository),
        new VersionLoader(takesSevenNanos, BATCHING, ModelLoading.AT_START, c -> BatchListener.NONE), GRACE, now::get,
        listener, ModelLoading.AT_START)) {
      assertEquals("", status(registry, 2).device());
      served(registry, 2);
      assertEquals(new VersionStatus(2, VersionState.READY, "", "cpu", "fp32", "stock"), status(registry, 2));
      registry.unload("m", 2);
      assertEquals(new VersionStatus(2, VersionState.UNLOADED, "unloaded by UnloadModel", "", "", ""), status(registry, 2));
      delete(versionDir(2));
      registry.refresh();
      assertEquals(List.of("m/2 AVAILABLE", "m/2 LOADING", "m/2 READY", "m/2 loaded on cpu in fp32 (stock) in 7 ns",
          "m/2 UNLOADED", "m/2 AVAILABLE", "m/2 removed"), heard.subList(0, 7));
    }
  }

  @Test
  void versionZeroIsTheHighestAndEachVersionLoadsOnce() {
    try (ModelRegistry registry = registry()) {
      ServedModel latest = served(registry, 0);
      assertEquals(2, latest.card().version());
      assertSame(latest, served(registry, 2));
      assertEquals(1, served(registry, 1).card().version());
      assertEquals(2, loads());
      assertEquals(versionDir(2), network(latest).dir);
    }
  }

  @Test
  void versionZeroMeansTheDefaultToRequestsAndOnlyLoadModelReachesForTheNewestInTheRepository() throws IOException {
    try (ModelRegistry registry = registry()) {
      assertEquals(2, registry.resolve("m", 0), "before any version is READY, the highest that may serve");
      assertEquals(0, loads(), "resolving loads nothing");
      served(registry, 1);
      assertEquals(1, registry.resolve("m", 0), "the highest READY version, though version 2 is higher");
      assertEquals(1, registry.describe("m", 0).version());
      assertEquals(1, registry.servingDefault("m").getAsLong());

      repository.publish("m", CARD::write);
      assertEquals(1, registry.resolve("m", 0));
      assertEquals(3, await(registry.load("m", 0)).version(), "LoadModel's 0: the newest in the repository");
      assertEquals(3, registry.resolve("m", 0));
      assertEquals(VersionState.AVAILABLE, state(registry, 2), "LoadModel loaded only the newest");

      assertEquals(2, registry.resolve("m", 2));
      assertThrows(NoSuchElementException.class, () -> registry.resolve("m", 9));
      assertThrows(NoSuchElementException.class, () -> registry.load("m", 9));
      assertThrows(IllegalArgumentException.class, () -> registry.resolve("m", -1));
      assertThrows(IllegalArgumentException.class, () -> registry.load("m", -1));
    }
  }

  @Test
  void aNewVersionBecomesTheDefaultOnlyOnceLoadedAndTheOldOneStaysForPinnedRequests() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      repository.publish("m", CARD::write);
      assertEquals(2, registry.resolve("m", 0), "version 3 is not loaded yet, so version 2 stays the default");
      assertEquals(VersionState.AVAILABLE, state(registry, 3));

      registry.refresh();
      assertEquals(3, registry.resolve("m", 0));
      assertEquals(VersionState.READY, state(registry, 3));
      assertEquals(2, served(registry, 2).card().version(), "a request that names version 2 still gets it");
      assertEquals(VersionState.READY, state(registry, 2));
    }
  }

  @Test
  void onRequestTheWatcherLoadsOnlyModelsAskedForAndThenFollowsTheirNewVersions() throws IOException {
    ModelCard other = ExactDenoisers.card("other", 1, 1, 1, 10, "linear");
    repository.publish("other", other::write);
    try (ModelRegistry registry = new ModelRegistry(new ModelCatalog(repository),
        new VersionLoader(this::load, BATCHING, ModelLoading.ON_REQUEST, c -> BatchListener.NONE), GRACE, now::get,
        VersionListener.NONE, ModelLoading.ON_REQUEST)) {
      registry.refresh();
      assertEquals(0, loads(), "no model has been asked for");
      assertEquals(VersionState.AVAILABLE, state(registry, 2));

      assertEquals(2, served(registry, 0).card().version(), "a request loads its model's newest version");
      repository.publish("m", CARD::write);
      registry.refresh();
      assertEquals(VersionState.READY, state(registry, 3), "a model asked for follows its new versions");
      assertEquals(3, registry.resolve("m", 0));
      assertEquals(2, loads(), "versions 2 and 3 of m, nothing of the model nobody asked for");
      assertEquals(VersionState.AVAILABLE,
          registry.statuses(new ModelVersions("other", List.of(1L))).get(0).state());
    }
  }

  /** At start no caller waits for the load, so a full batch; on request one does, so one image. */
  @Test
  void aVersionLoadedAtStartWarmsUpWithAFullBatchAndOneLoadedOnRequestWithOneImage() {
    assertEquals(4, BATCHING.maxBatch());
    assertEquals(4, warmUpImages(ModelLoading.AT_START));
    assertEquals(1, warmUpImages(ModelLoading.ON_REQUEST));
  }

  private int warmUpImages(ModelLoading loading) {
    try (ModelRegistry registry = new ModelRegistry(new ModelCatalog(repository),
        new VersionLoader(this::load, BATCHING, loading, c -> BatchListener.NONE), GRACE, now::get,
        VersionListener.NONE, loading)) {
      return network(served(registry, 2)).warmUpImages;
    }
  }

  @Test
  void aColdVersionLoadsOnALoaderThreadAndRequestsDuringTheLoadWaitForThatOneLoad() {
    CountDownLatch open = new CountDownLatch(1);
    try (ModelRegistry registry = registry(gated(open))) {
      List<CompletableFuture<ServedModel>> callers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        callers.add(serve(registry, 2));
      }
      assertFalse(callers.get(0).isDone(), "the caller is not held while the version loads");
      assertEquals(VersionState.LOADING, state(registry, 2));

      open.countDown();
      ServedModel first = await(callers.get(0));
      for (CompletableFuture<ServedModel> caller : callers) {
        assertSame(first, await(caller));
      }
      assertEquals(1, loads());
      assertEquals(VersionState.READY, state(registry, 2));
      String loader = network(first).loadedOn;
      assertTrue(loader.startsWith("model-loader-"), loader);
      assertNotEquals(Thread.currentThread().getName(), loader);
    }
  }

  @Test
  void aReplacedVersionIsUnloadedAfterTheGracePeriodWithoutRequestsAndLoadsAgainWhenNamed() throws IOException {
    try (ModelRegistry registry = registry()) {
      ServedModel v2 = served(registry, 2);
      repository.publish("m", CARD::write);
      registry.refresh();

      now.addAndGet(GRACE - 1);
      served(registry, 0);
      registry.refresh();
      assertFalse(network(v2).closed, "inside the grace period");

      now.addAndGet(1);
      registry.refresh();
      assertTrue(network(v2).closed);
      assertEquals(VersionState.AVAILABLE, state(registry, 2));
      assertEquals(3, registry.resolve("m", 0), "the default is never unloaded for being idle");

      ServedModel again = served(registry, 2);
      assertFalse(network(again).closed);
      assertEquals(VersionState.READY, state(registry, 2));
    }
  }

  @Test
  void aVersionInUseOutlivesTheGracePeriod() throws IOException {
    try (ModelRegistry registry = registry()) {
      ServedModel v2 = served(registry, 2);
      repository.publish("m", CARD::write);
      registry.refresh();
      for (int i = 0; i < 3; i++) {
        now.addAndGet(GRACE / 2);
        served(registry, 2);
        registry.refresh();
      }
      assertFalse(network(v2).closed);
    }
  }

  @Test
  void aBatcherClosedUnderACallIsRetriedBehindTheRegistryWithAFreshLoad() {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      ServedModel v1 = served(registry, 1);
      AtomicBoolean first = new AtomicBoolean(true);
      CompletableFuture<float[]> eps = registry.submit("m", 1, model -> {
        if (first.getAndSet(false)) {
          // The watcher unloads the idle version 1 after this call found it and before it queues.
          now.addAndGet(GRACE);
          registry.refresh();
        }
        return model.batcher().submit(new float[] {0.5f}, new int[] {3}, ExtraInputs.NONE);
      });

      assertArrayEquals(new float[] {0.5f}, await(eps));
      assertTrue(network(v1).closed);
      assertEquals(3, loads(), "versions 2 and 1, then version 1 again for the retried call");
      assertFalse(network(2).closed);
      assertEquals(versionDir(1), network(2).dir);
      assertEquals(VersionState.READY, state(registry, 1));
    }
  }

  @Test
  void aBrokenNewVersionIsRefusedWithItsReasonAndTheOldDefaultKeepsServing() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      unloadable.put(versionDir(3), "signature has no input t");
      nanNetworks.add(versionDir(4));
      repository.publish("m", CARD::write);
      repository.publish("m", CARD::write);

      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      VersionStatus v3 = status(registry, 3);
      assertEquals(VersionState.REFUSED, v3.state());
      assertTrue(v3.reason().contains("signature has no input t"), v3.reason());
      VersionStatus v4 = status(registry, 4);
      assertEquals(VersionState.REFUSED, v4.state());
      assertTrue(v4.reason().contains("non-finite"), v4.reason());
      IllegalStateException named = assertThrows(IllegalStateException.class, () -> served(registry, 3));
      assertTrue(named.getMessage().contains("refused"), named.getMessage());

      int before = loads();
      registry.refresh();
      assertEquals(before, loads(), "a refused version is not retried at every pass");
    }
  }

  @Test
  void beforeAnyVersionIsReadyTheDefaultSkipsRefusedVersions() {
    try (ModelRegistry registry = registry()) {
      unloadable.put(versionDir(2), "half-written");
      assertThrows(IllegalStateException.class, () -> served(registry, 0));
      assertEquals(VersionState.REFUSED, state(registry, 2));
      assertEquals(1, registry.resolve("m", 0));
      assertEquals(1, served(registry, 0).card().version());
    }
  }

  @Test
  void loadModelRetriesARefusedVersion() throws IOException {
    try (ModelRegistry registry = registry()) {
      unloadable.put(versionDir(3), "half-written");
      repository.publish("m", CARD::write);
      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));

      unloadable.remove(versionDir(3));
      assertEquals(3, await(registry.load("m", 3)).version());
      assertEquals(VersionState.READY, state(registry, 3));
      assertEquals(3, registry.resolve("m", 0));
    }
  }

  @Test
  void unloadTakesAVersionOutUntilLoadModelAndTheDefaultFallsBack() {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      ServedModel v2 = served(registry, 2);
      served(registry, 1);

      registry.unload("m", 2);
      assertTrue(network(v2).closed);
      assertEquals(1, registry.resolve("m", 0));
      VersionStatus unloaded = status(registry, 2);
      assertEquals(VersionState.UNLOADED, unloaded.state());
      assertEquals("unloaded by UnloadModel", unloaded.reason());
      IllegalStateException named = assertThrows(IllegalStateException.class, () -> served(registry, 2));
      assertTrue(named.getMessage().contains("LoadModel"), named.getMessage());
      registry.refresh();
      assertEquals(1, registry.resolve("m", 0), "the watcher does not bring an unloaded version back");

      await(registry.load("m", 2));
      assertEquals(2, registry.resolve("m", 0));
      assertEquals(VersionState.READY, state(registry, 2));
      assertThrows(IllegalArgumentException.class, () -> registry.unload("m", 0));
      assertThrows(NoSuchElementException.class, () -> registry.unload("m", 9));
    }
  }

  @Test
  void unloadingAVersionNeverLoadedKeepsRequestsFromLoadingIt() {
    try (ModelRegistry registry = registry()) {
      registry.unload("m", 2);
      assertEquals(VersionState.UNLOADED, state(registry, 2));
      assertEquals(1, registry.resolve("m", 0));
      assertThrows(IllegalStateException.class, () -> served(registry, 2));
      assertEquals(1, served(registry, 0).card().version());
      assertEquals(1, loads());
    }
  }

  @Test
  void unloadingAVersionWhileItLoadsRefusesItsWaitersAndClosesWhatTheLoadBrings() {
    CountDownLatch open = new CountDownLatch(1);
    ModelRegistry registry = registry(gated(open));
    CompletableFuture<ServedModel> waiting = serve(registry, 2);
    assertEquals(VersionState.LOADING, state(registry, 2));

    registry.unload("m", 2);
    assertEquals(VersionState.UNLOADED, state(registry, 2));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> await(waiting));
    assertTrue(refused.getMessage().contains("UnloadModel"), refused.getMessage());

    open.countDown();
    registry.close();
    assertEquals(1, loads());
    assertTrue(network(0).closed, "the load ended after the unload, and closed its network");
  }

  @Test
  void aVersionWhoseFolderLeftTheRepositoryDuringItsLoadIsNotFoundAndStaysAvailable() {
    try (ModelRegistry registry = registry()) {
      gone.add(versionDir(2));
      assertThrows(NoSuchElementException.class, () -> served(registry, 2));
      assertEquals(VersionState.AVAILABLE, status(registry, 2).state());

      gone.remove(versionDir(2));
      assertEquals(2, served(registry, 2).card().version());
    }
  }

  @Test
  void closeClosesEveryLoadedNetworkAndRefusesLaterRequests() {
    ModelRegistry registry = registry();
    served(registry, 1);
    served(registry, 2);
    registry.close();
    assertEquals(2, loads());
    assertTrue(loaded.stream().allMatch(n -> n.closed));
    assertThrows(IllegalStateException.class, () -> served(registry, 1));
    assertThrows(IllegalStateException.class, () -> await(registry.load("m", 1)));
  }

  @Test
  void aLoadRunningAtCloseRefusesItsWaitersAndCloseWaitsForItToCloseItsNetwork() {
    CountDownLatch open = new CountDownLatch(1);
    ModelRegistry registry = registry(gated(open));
    CompletableFuture<ServedModel> waiting = serve(registry, 2);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(registry::close);

    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> await(waiting));
    assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
    open.countDown();
    await(closing);
    assertEquals(1, loads());
    assertTrue(network(0).closed);
  }

  @Test
  void aVersionWithClassesIsAnotherContractAndACardWithClassesNeedsANetworkThatTakesLabels() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      repository.publish("m", ExactDenoisers.withClasses(CARD, 10)::write);
      repository.publish("c", ExactDenoisers.withClasses(CARD.withName("c"), 10)::write);

      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      assertEquals("it breaks the contract version 2 set: num_classes 0 → 10; a different network is a different "
          + "model name", status(registry, 3).reason());
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> await(registry.load("c", 1)));
      assertTrue(refused.getMessage().contains("c/1: model.json declares 10 classes, but the network does not take "
          + "their labels as the input y, int32 [N]; its extra inputs are {}"), refused.getMessage());
    }
  }

  @Test
  void aVersionThatBreaksItsModelsContractIsRefusedNamingEachDifferenceAndTheDefaultKeepsServing()
      throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      repository.publish("m", ExactDenoisers.card("m", 2, 2, 1, 20, "cosine")::write);
      repository.publish("m", ExactDenoisers.card("m", 1, 1, 1, 10, "cosine")::write);

      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      assertEquals(1, loads(), "a version that breaks the contract never reaches the loader");
      String reason = status(registry, 3).reason();
      assertEquals(VersionState.REFUSED, status(registry, 3).state());
      assertEquals("it breaks the contract version 2 set: image_shape [1, 1, 1] → [2, 2, 1], timesteps 10 → 20, "
          + "schedule linear → cosine; a different network is a different model name", reason);
      assertTrue(status(registry, 4).reason().endsWith("set: schedule linear → cosine; a different network is a "
          + "different model name"), status(registry, 4).reason());
      IllegalStateException named = assertThrows(IllegalStateException.class, () -> served(registry, 3));
      assertEquals("model \"m\" version 3 was refused: " + reason, named.getMessage());
      IllegalStateException loadModel = assertThrows(IllegalStateException.class, () -> await(registry.load("m", 4)));
      assertTrue(loadModel.getMessage().contains("schedule linear → cosine"), loadModel.getMessage());
      assertEquals(List.of("prediction epsilon → v", "num_classes 0 → 10"), ModelContract.of(CARD)
          .changesTo(new ModelContract(CARD.imageShape(), CARD.timesteps(), CARD.schedule(), "v", 10)));
    }
  }

  @Test
  void whileNoVersionIsReadyTheLowestVersionSetsTheContractSoARestartRefusesWhatTheRunningDenoiserDid()
      throws IOException {
    repository.publish("m", ExactDenoisers.card("m", 8, 8, 1, 10, "linear")::write);
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      assertEquals(2, registry.resolve("m", 0), "version 3 is the highest, but version 1 set the contract");
      assertEquals(VersionState.REFUSED, state(registry, 3));
      assertTrue(status(registry, 3).reason().startsWith("it breaks the contract version 1 set: image_shape"),
          status(registry, 3).reason());

      registry.unload("m", 2);
      registry.unload("m", 1);
      IllegalStateException stillRefused = assertThrows(IllegalStateException.class,
          () -> await(registry.load("m", 3)));
      assertTrue(stillRefused.getMessage().contains("contract version 1 set"), stillRefused.getMessage());
    }
  }

  @Test
  void aPinnedDefaultHoldsWhileANewerVersionLoadsAndWaitsReadyUntilPinnedItself() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      assertEquals(1, await(registry.pin("m", 1)).version());
      assertEquals(1, registry.resolve("m", 0));
      assertEquals(OptionalLong.of(1), registry.pinned("m"));

      repository.publish("m", CARD::write);
      registry.refresh();
      assertEquals(VersionState.READY, state(registry, 3), "the watcher loads and warms up the new version");
      assertEquals(1, registry.resolve("m", 0), "but it waits for its promotion");
      assertEquals(1, served(registry, 0).card().version());

      now.addAndGet(GRACE);
      registry.refresh();
      assertEquals(VersionState.READY, state(registry, 1), "the pinned default is never unloaded for being idle");
      assertEquals(VersionState.READY, state(registry, 3), "nor the version waiting to be promoted");
      assertEquals(VersionState.AVAILABLE, state(registry, 2));
      int before = loads();
      registry.refresh();
      assertEquals(before, loads(), "the waiting version is not loaded again at every pass");

      assertEquals(3, await(registry.pin("m", 3)).version());
      assertEquals(3, registry.resolve("m", 0));
      await(registry.pin("m", 2));
      assertEquals(2, registry.resolve("m", 0), "a pin may go back to an older version, which loads first");
      assertEquals(VersionState.READY, state(registry, 2));

      assertEquals(OptionalLong.of(3), registry.unpin("m"), "unpinned, the default is the highest READY again");
      assertEquals(OptionalLong.empty(), registry.pinned("m"));
      assertEquals(OptionalLong.of(3), registry.unpin("m"), "unpinning an unpinned model changes nothing");
    }
  }

  @Test
  void pinningNamesTheVersionLoadsItFirstAndRefusesOneThatCannotServe() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      unloadable.put(versionDir(3), "signature has no input t");
      repository.publish("m", CARD::write);

      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> await(registry.pin("m", 3)));
      assertTrue(refused.getMessage().contains("signature has no input t"), refused.getMessage());
      assertEquals(OptionalLong.empty(), registry.pinned("m"));
      assertEquals(2, registry.resolve("m", 0), "the previous default stays");
      assertThrows(NoSuchElementException.class, () -> registry.pin("m", 9));
      assertThrows(NoSuchElementException.class, () -> registry.pin("other", 1));
      assertThrows(NoSuchElementException.class, () -> registry.unpin("other"));
      assertThrows(IllegalArgumentException.class, () -> registry.pin("m", 0));
      assertThrows(IllegalArgumentException.class, () -> registry.unpin("no/name"));

      registry.unload("m", 1);
      await(registry.pin("m", 1));
      assertEquals(VersionState.READY, state(registry, 1), "pinning brings back an unloaded version");
      IllegalStateException pinnedStays = assertThrows(IllegalStateException.class, () -> registry.unload("m", 1));
      assertTrue(pinnedStays.getMessage().contains("pinned"), pinnedStays.getMessage());
      assertEquals(VersionState.READY, state(registry, 1));
    }
  }

  @Test
  void deletingTheDefaultsFolderUnloadsItAndVersionZeroFallsBackToTheHighestReady() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      ServedModel v2 = served(registry, 2);
      served(registry, 1);
      delete(versionDir(2));
      assertEquals(2, registry.resolve("m", 0), "until the watcher's next pass");

      registry.refresh();
      assertTrue(network(v2).closed);
      assertEquals(1, registry.resolve("m", 0));
      assertEquals(1, registry.describe("m", 0).version());
      assertEquals(1, served(registry, 0).card().version());
      assertThrows(NoSuchElementException.class, () -> served(registry, 2));
      assertEquals(List.of(new ModelVersions("m", List.of(1L))), new ModelCatalog(repository).list());
    }
  }

  @Test
  void aRequestForTheDefaultThatFindsItsFolderGoneRunsOnTheVersionItFallsBackTo() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      served(registry, 1);
      List<Long> attempts = new ArrayList<>();
      CompletableFuture<float[]> eps = registry.submit("m", 0, model -> {
        attempts.add(model.card().version());
        if (attempts.size() == 1) {
          // The default's folder is deleted, and the watcher sees it, after this call found it and before it queues.
          delete(versionDir(2));
          registry.refresh();
        }
        return model.batcher().submit(new float[] {0.5f}, new int[] {3}, ExtraInputs.NONE);
      });

      assertArrayEquals(new float[] {0.5f}, await(eps));
      assertEquals(List.of(2L, 1L), attempts);
    }
  }

  @Test
  void removingThePinnedVersionsFolderClearsThePin() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      await(registry.pin("m", 1));
      delete(versionDir(1));

      registry.refresh();
      assertEquals(OptionalLong.empty(), registry.pinned("m"));
      assertEquals(2, registry.resolve("m", 0));
    }
  }

  @Test
  void aRepositoryThatListsNoModelAtAllIsTakenForAVolumeNotMountedAndUnloadsNothing() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      ServedModel v2 = served(registry, 2);
      delete(root.resolve("m"));

      registry.refresh();
      assertFalse(network(v2).closed);
      assertEquals(VersionState.READY, state(registry, 2));
    }
  }

  @Test
  void aVersionRefusedWhileItsFilesWereArrivingIsTriedAgainOnceTheyStopChanging() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      // Copied in file by file, not published by a rename: the watcher finds the folder before its model.json.
      Path copying = Files.createDirectories(versionDir(3).resolve("variables"));
      Files.writeString(copying.resolve("variables.index"), "half");
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3));
      assertTrue(status(registry, 3).reason().contains("model.json"), status(registry, 3).reason());
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3), "files that have not changed are not tried again");

      CARD.write(versionDir(3));
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3), "the files changed: they may still be arriving");
      assertEquals(2, registry.resolve("m", 0));

      registry.refresh();
      assertEquals(VersionState.READY, state(registry, 3), "they held still for a pass");
      assertEquals(3, registry.resolve("m", 0));
      assertEquals(versionDir(3), network(loads() - 1).dir);
    }
  }

  @Test
  void aRefusedVersionWhoseFilesChangedButStillCannotServeWaitsForTheNextChange() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      unloadable.put(versionDir(3), "saved_model.pb is missing");
      repository.publish("m", CARD::write);
      registry.refresh();
      Files.writeString(versionDir(3).resolve("saved_model.pb"), "truncated");
      registry.refresh();
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3));

      registry.refresh();
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3));
      unloadable.remove(versionDir(3));
      registry.refresh();
      assertEquals(VersionState.REFUSED, state(registry, 3), "tried again only once its files change again");

      Files.writeString(versionDir(3).resolve("saved_model.pb"), "complete now");
      registry.refresh();
      registry.refresh();
      assertEquals(VersionState.READY, state(registry, 3));
    }
  }

  @Test
  void unknownModelsAndVersionsAreNotFound() {
    try (ModelRegistry registry = registry()) {
      assertThrows(NoSuchElementException.class, () -> serve(registry, "other", 0));
      assertThrows(NoSuchElementException.class, () -> serve(registry, 3));
      assertThrows(IllegalArgumentException.class, () -> serve(registry, -1));
      assertThrows(IllegalArgumentException.class, () -> serve(registry, "no/name", 1));
      assertEquals(0, loads());
    }
  }
}
