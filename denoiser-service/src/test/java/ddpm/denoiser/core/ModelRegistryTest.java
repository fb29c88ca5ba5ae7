package ddpm.denoiser.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.denoiser.engine.EpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final ModelCard CARD = ExactDenoisers.card("m", 1, 1, 1, 10, "linear");

  @TempDir Path root;
  private final List<FakeNetwork> loaded = new ArrayList<>();
  private final AtomicInteger loads = new AtomicInteger();
  private ModelCatalog catalog;

  /** A network that only records whether it was closed; the registry never evaluates it. */
  private static final class FakeNetwork implements EpsNetwork {
    final Path dir;
    volatile boolean closed;

    FakeNetwork(Path dir) {
      this.dir = dir;
    }

    @Override
    public float[] predict(float[] xt, int[] t) {
      return xt.clone();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @BeforeEach
  void publishTwoVersions() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    repository.publish("m", CARD::write);
    repository.publish("m", CARD::write);
    catalog = new ModelCatalog(repository);
  }

  private EpsNetwork countingLoad(Path dir, ModelCard card) {
    loads.incrementAndGet();
    FakeNetwork network = new FakeNetwork(dir);
    synchronized (loaded) {
      loaded.add(network);
    }
    return network;
  }

  @Test
  void versionZeroIsTheHighestAndEachVersionLoadsOnce() {
    try (ModelRegistry registry = new ModelRegistry(catalog, this::countingLoad)) {
      LoadedModel latest = registry.get("m", 0);
      assertEquals(2, latest.card().version());
      assertSame(latest, registry.get("m", 2));
      assertEquals(1, registry.get("m", 1).card().version());
      assertEquals(2, loads.get());
      assertEquals(root.resolve("m").resolve("2"), ((FakeNetwork) latest.network()).dir);
    }
  }

  @Test
  void concurrentFirstRequestsShareOneLoad() throws Exception {
    int callers = 8;
    CountDownLatch entered = new CountDownLatch(callers);
    CountDownLatch release = new CountDownLatch(1);
    EpsNetworkLoader slow = (dir, card) -> {
      awaitQuietly(release);
      return countingLoad(dir, card);
    };
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try (ModelRegistry registry = new ModelRegistry(catalog, slow)) {
      List<Future<LoadedModel>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          entered.countDown();
          return registry.get("m", 2);
        }));
      }
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      release.countDown();
      LoadedModel first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<LoadedModel> result : results) {
        assertSame(first, result.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, loads.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeClosesEveryLoadedNetworkAndRefusesLaterRequests() {
    ModelRegistry registry = new ModelRegistry(catalog, this::countingLoad);
    registry.get("m", 1);
    registry.get("m", 2);
    registry.close();
    assertEquals(2, loaded.size());
    assertTrue(loaded.stream().allMatch(n -> n.closed));
    assertThrows(IllegalStateException.class, () -> registry.get("m", 1));
  }

  @Test
  void aFailedLoadIsRetriedOnTheNextRequest() {
    AtomicInteger attempts = new AtomicInteger();
    EpsNetworkLoader flaky = (dir, card) -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("broken");
      }
      return countingLoad(dir, card);
    };
    try (ModelRegistry registry = new ModelRegistry(catalog, flaky)) {
      assertThrows(IllegalStateException.class, () -> registry.get("m", 1));
      assertEquals(1, registry.get("m", 1).card().version());
      assertEquals(2, attempts.get());
    }
  }

  @Test
  void unknownModelsAndVersionsAreNotFound() {
    try (ModelRegistry registry = new ModelRegistry(catalog, this::countingLoad)) {
      assertThrows(NoSuchElementException.class, () -> registry.get("other", 0));
      assertThrows(NoSuchElementException.class, () -> registry.get("m", 3));
      assertEquals(0, loads.get());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the load");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
