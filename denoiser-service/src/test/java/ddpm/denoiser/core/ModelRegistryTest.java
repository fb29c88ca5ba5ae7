package ddpm.denoiser.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.denoiser.batch.BatchListener;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.Latches;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  private final AtomicLong now = new AtomicLong();

  /** ε = x_t, or NaN for the folders in {@link #nanNetworks}; records whether it was closed. */
  private final class FakeNetwork implements EpsNetwork {
    final Path dir;
    volatile boolean closed;

    FakeNetwork(Path dir) {
      this.dir = dir;
    }

    @Override
    public float[] predict(float[] xt, int[] t) {
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
    FakeNetwork network = new FakeNetwork(dir);
    synchronized (loaded) {
      loaded.add(network);
    }
    return network;
  }

  private ModelRegistry registry(EpsNetworkLoader loader) {
    return new ModelRegistry(new ModelCatalog(repository), new VersionLoader(loader, BATCHING, c -> BatchListener.NONE),
        GRACE, now::get);
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

  private static VersionState state(ModelRegistry registry, String name, long version) {
    return registry.statuses(new ModelVersions(name, List.of(version))).get(0).state();
  }

  @Test
  void versionZeroIsTheHighestAndEachVersionLoadsOnce() {
    try (ModelRegistry registry = registry()) {
      ServedModel latest = registry.get("m", 0);
      assertEquals(2, latest.card().version());
      assertSame(latest, registry.get("m", 2));
      assertEquals(1, registry.get("m", 1).card().version());
      assertEquals(2, loads());
      assertEquals(root.resolve("m").resolve("2"), network(latest).dir);
    }
  }

  @Test
  void aNewVersionBecomesTheDefaultOnlyOnceLoadedAndTheOldOneStaysForPinnedRequests() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      repository.publish("m", CARD::write);
      assertEquals(2, registry.resolve("m", 0), "version 3 is not loaded yet, so version 2 stays the default");

      registry.refresh();
      assertEquals(3, registry.resolve("m", 0));
      assertEquals(VersionState.READY, state(registry, "m", 3));
      assertEquals(2, registry.get("m", 2).card().version(), "a request that names version 2 still gets it");
      assertEquals(VersionState.READY, state(registry, "m", 2));
    }
  }

  @Test
  void aReplacedVersionIsUnloadedAfterTheGracePeriodWithoutRequestsAndLoadsAgainWhenNamed() throws IOException {
    try (ModelRegistry registry = registry()) {
      ServedModel v2 = registry.get("m", 2);
      repository.publish("m", CARD::write);
      registry.refresh();

      now.addAndGet(GRACE - 1);
      registry.get("m", 0);
      registry.refresh();
      assertFalse(network(v2).closed, "inside the grace period");

      now.addAndGet(1);
      registry.refresh();
      assertTrue(network(v2).closed);
      assertEquals(VersionState.AVAILABLE, state(registry, "m", 2));
      assertEquals(3, registry.resolve("m", 0), "the default is never unloaded for being idle");

      ServedModel again = registry.get("m", 2);
      assertFalse(network(again).closed);
    }
  }

  @Test
  void aVersionInUseOutlivesTheGracePeriod() throws IOException {
    try (ModelRegistry registry = registry()) {
      ServedModel v2 = registry.get("m", 2);
      repository.publish("m", CARD::write);
      registry.refresh();
      for (int i = 0; i < 3; i++) {
        now.addAndGet(GRACE / 2);
        registry.get("m", 2);
        registry.refresh();
      }
      assertFalse(network(v2).closed);
    }
  }

  @Test
  void aBrokenNewVersionIsRefusedWithItsReasonAndTheOldDefaultKeepsServing() throws IOException {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      unloadable.put(root.resolve("m").resolve("3"), "signature has no input t");
      nanNetworks.add(root.resolve("m").resolve("4"));
      repository.publish("m", CARD::write);
      repository.publish("m", CARD::write);

      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));
      VersionStatus v3 = registry.statuses(new ModelVersions("m", List.of(3L))).get(0);
      assertEquals(VersionState.REFUSED, v3.state());
      assertTrue(v3.reason().contains("signature has no input t"), v3.reason());
      VersionStatus v4 = registry.statuses(new ModelVersions("m", List.of(4L))).get(0);
      assertEquals(VersionState.REFUSED, v4.state());
      assertTrue(v4.reason().contains("non-finite"), v4.reason());
      IllegalStateException named = assertThrows(IllegalStateException.class, () -> registry.get("m", 3));
      assertTrue(named.getMessage().contains("refused"), named.getMessage());

      int before = loads();
      registry.refresh();
      assertEquals(before, loads(), "a refused version is not retried at every pass");
    }
  }

  @Test
  void loadModelRetriesARefusedVersion() throws IOException {
    try (ModelRegistry registry = registry()) {
      Path v3 = root.resolve("m").resolve("3");
      unloadable.put(v3, "half-written");
      repository.publish("m", CARD::write);
      registry.refresh();
      assertEquals(2, registry.resolve("m", 0));

      unloadable.remove(v3);
      assertEquals(3, registry.load("m", 3).version());
      assertEquals(3, registry.resolve("m", 0));
    }
  }

  @Test
  void unloadTakesAVersionOutUntilLoadModelAndTheDefaultFallsBack() {
    try (ModelRegistry registry = registry()) {
      registry.refresh();
      ServedModel v2 = registry.get("m", 2);
      registry.get("m", 1);

      registry.unload("m", 2);
      assertTrue(network(v2).closed);
      assertEquals(1, registry.resolve("m", 0));
      assertEquals(VersionState.UNLOADED, state(registry, "m", 2));
      assertThrows(IllegalStateException.class, () -> registry.get("m", 2));
      registry.refresh();
      assertEquals(1, registry.resolve("m", 0), "the watcher does not bring an unloaded version back");

      registry.load("m", 2);
      assertEquals(2, registry.resolve("m", 0));
      assertThrows(IllegalArgumentException.class, () -> registry.unload("m", 0));
      assertThrows(NoSuchElementException.class, () -> registry.unload("m", 9));
    }
  }

  @Test
  void concurrentFirstRequestsShareOneLoad() throws Exception {
    int callers = 8;
    CountDownLatch entered = new CountDownLatch(callers);
    CountDownLatch release = new CountDownLatch(1);
    EpsNetworkLoader slow = (dir, card) -> {
      Latches.await(release);
      return load(dir, card);
    };
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (ModelRegistry registry = registry(slow)) {
      List<Future<ServedModel>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          entered.countDown();
          return registry.get("m", 2);
        }));
      }
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      release.countDown();
      ServedModel first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<ServedModel> result : results) {
        assertSame(first, result.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, loads());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeClosesEveryLoadedNetworkAndRefusesLaterRequests() {
    ModelRegistry registry = registry();
    registry.get("m", 1);
    registry.get("m", 2);
    registry.close();
    assertEquals(2, loads());
    assertTrue(loaded.stream().allMatch(n -> n.closed));
    assertThrows(IllegalStateException.class, () -> registry.get("m", 1));
  }

  @Test
  void unknownModelsAndVersionsAreNotFound() {
    try (ModelRegistry registry = registry()) {
      assertThrows(NoSuchElementException.class, () -> registry.get("other", 0));
      assertThrows(NoSuchElementException.class, () -> registry.get("m", 3));
      assertThrows(IllegalArgumentException.class, () -> registry.get("m", -1));
      assertEquals(0, loads());
    }
  }
}
