package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatcherClosedException;
import ddpm.repository.ModelRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Which versions of which models this denoiser serves: one {@link VersionLifecycle} per (model, version),
 * which holds its state and makes every change of it.
 *
 * <p>A model's default (what version 0 means) is its highest READY version, so a newly published version
 * takes over only once it is loaded and warmed up, and a broken one never does: it is REFUSED, its reason is
 * logged, and the previous default keeps serving. {@link #refresh()} (run by the repository watcher) loads
 * the newest loadable version of every model and unloads versions that are not the default and have had no
 * request for the grace period; a request that names such a version later loads it again, so a pinned
 * sampling request never loses its version. Each (model, version) loads once, on one of the registry's own
 * loader threads: concurrent requests wait for that one load, and no caller's thread is held by it.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = Logger.getLogger(ModelRegistry.class.getName());
  /**
   * Two, so that a request for a cold pinned version does not wait behind the watcher's load of a new one;
   * more would load SavedModels side by side, competing for memory and cores with the versions serving.
   */
  private static final int LOADER_THREADS = 2;

  private record Key(String name, long version) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::name).thenComparingLong(Key::version);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  private final ModelCatalog catalog;
  private final VersionLoader loader;
  private final long graceNanos;
  private final LongSupplier nanoClock;
  /** Every version this registry has met, by model then version; the others are AVAILABLE. */
  private final ConcurrentSkipListMap<Key, VersionLifecycle> versions = new ConcurrentSkipListMap<>();
  private final ExecutorService loaderThreads;
  private volatile boolean closed;

  /**
   * @param graceNanos how long a version that is no longer the default stays loaded after its last request
   * @param nanoClock {@link System#nanoTime} in production; tests move time by hand
   */
  public ModelRegistry(ModelCatalog catalog, VersionLoader loader, long graceNanos, LongSupplier nanoClock) {
    this.catalog = catalog;
    this.loader = loader;
    this.graceNanos = graceNanos;
    this.nanoClock = nanoClock;
    AtomicInteger threads = new AtomicInteger();
    this.loaderThreads = Executors.newFixedThreadPool(LOADER_THREADS, task -> {
      Thread t = new Thread(task, "model-loader-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code work} on the served {@code name} at {@code version} (0: the default) once it is READY; a cold
   * version is loaded first, on a loader thread. When the version's batcher closes under {@code work} (an idle
   * version unloaded just as the call found it), the version loads again and {@code work} runs once more.
   */
  public <T> CompletableFuture<T> submit(String name, long version, Function<ServedModel, CompletableFuture<T>> work) {
    VersionLifecycle lifecycle = lifecycle(name, version);
    Supplier<CompletableFuture<T>> attempt = () -> lifecycle.serve().thenCompose(work);
    return attempt.get().exceptionallyCompose(error -> unwrap(error) instanceof BatcherClosedException
        ? attempt.get()
        : CompletableFuture.failedFuture(error));
  }

  /**
   * The version a request for {@code version} of {@code name} means: itself, or for 0 the
   * {@linkplain #servingDefault default}. NoSuchElementException when the repository does not hold it.
   */
  public long resolve(String name, long version) {
    ModelRepository.checkName(name, "model");
    if (version < 0) {
      throw new IllegalArgumentException("version: must be ≥ 0 (0: the default), got " + version);
    }
    if (version > 0) {
      // A version met before was in the repository; looking up only the others keeps the disk off the hot path.
      if (!versions.containsKey(new Key(name, version))) {
        catalog.requirePresent(name, version);
      }
      return version;
    }
    return servingDefault(name).orElseThrow(() -> new IllegalStateException("model \"" + name
        + "\": no version can be served; every one of " + catalog.versions(name)
        + " was refused or unloaded (see ListModels)"));
  }

  /**
   * What version 0 of {@code name} means: its highest READY version, or before any is READY the highest one
   * that is neither refused nor unloaded; empty when every version is refused or unloaded.
   */
  public OptionalLong servingDefault(String name) {
    OptionalLong ready = highestReady(name);
    if (ready.isPresent()) {
      return ready;
    }
    List<Long> present = catalog.versions(name);
    for (int i = present.size() - 1; i >= 0; i--) {
      VersionLifecycle lifecycle = versions.get(new Key(name, present.get(i)));
      if (lifecycle == null || lifecycle.inService()) {
        return OptionalLong.of(present.get(i));
      }
    }
    return OptionalLong.empty();
  }

  /** The card of {@code name} at {@code version} (0: the default), without loading it. */
  public VersionedCard describe(String name, long version) {
    return catalog.describe(name, resolve(name, version));
  }

  /**
   * LoadModel: loads and warms up {@code version} (0: the newest in the repository, loaded or not, which is
   * not what 0 means to a request) on a loader thread, giving a refused or unloaded version another try. Its
   * card once it is READY; IllegalStateException with the reason if it cannot serve.
   */
  public CompletableFuture<VersionedCard> load(String name, long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version: must be ≥ 0 (0: the newest in the repository), got " + version);
    }
    long wanted = version == 0 ? catalog.newest(name) : resolve(name, version);
    return lifecycle(new Key(name, wanted)).load().thenApply(ServedModel::card);
  }

  /**
   * UnloadModel: takes {@code version} out of service until LoadModel. Calls already queued for it finish;
   * later ones are refused. The default falls to the next highest READY version.
   */
  public void unload(String name, long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: name the version to unload (> 0), got " + version);
    }
    lifecycle(name, version).unload();
  }

  /**
   * One pass of the repository watcher: for every model, tries its versions above the current default from
   * the highest down until one loads; then unloads idle versions that are not their model's default.
   */
  public void refresh() {
    for (ModelVersions model : catalog.list()) {
      long current = highestReady(model.name()).orElse(0);
      List<Long> present = model.versions();
      for (int i = present.size() - 1; i >= 0 && present.get(i) > current && !closed; i--) {
        if (servesOnceLoaded(lifecycle(new Key(model.name(), present.get(i))).serve())) {
          break;
        }
      }
    }
    unloadIdle();
  }

  /** Every version of {@code model} in the repository, with its state. */
  public List<VersionStatus> statuses(ModelVersions model) {
    List<VersionStatus> statuses = new ArrayList<>();
    for (long version : model.versions()) {
      VersionLifecycle lifecycle = versions.get(new Key(model.name(), version));
      statuses.add(lifecycle == null ? new VersionStatus(version, VersionState.AVAILABLE, "") : lifecycle.status());
    }
    return statuses;
  }

  /** Closes every served version and the loader threads; later requests fail with IllegalStateException. */
  @Override
  public void close() {
    closed = true;
    versions.values().forEach(VersionLifecycle::close);
    loaderThreads.shutdown();
    try {
      if (!loaderThreads.awaitTermination(1, TimeUnit.MINUTES)) {
        log.warning("a model load still running after a minute was left behind");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private VersionLifecycle lifecycle(String name, long version) {
    return lifecycle(new Key(name, resolve(name, version)));
  }

  /** The lifecycle of a version the repository holds, made on first use. */
  private VersionLifecycle lifecycle(Key key) {
    VersionLifecycle lifecycle = versions.computeIfAbsent(key, k -> new VersionLifecycle(k.name(), k.version(),
        () -> loadVersion(k), loaderThreads, nanoClock));
    // One made as close() went over the map may have been missed by it.
    if (closed) {
      lifecycle.close();
    }
    return lifecycle;
  }

  /** On a loader thread. */
  private ServedModel loadVersion(Key key) {
    VersionedCard card = catalog.describe(key.name(), key.version());
    return loader.load(card, catalog.versionDir(card));
  }

  /** The highest READY version of {@code name}, if any. */
  private OptionalLong highestReady(String name) {
    NavigableMap<Key, VersionLifecycle> ofModel =
        versions.subMap(new Key(name, 0), true, new Key(name, Long.MAX_VALUE), true);
    for (Map.Entry<Key, VersionLifecycle> entry : ofModel.descendingMap().entrySet()) {
      if (entry.getValue().ready()) {
        return OptionalLong.of(entry.getKey().version());
      }
    }
    return OptionalLong.empty();
  }

  private void unloadIdle() {
    for (Map.Entry<Key, VersionLifecycle> entry : versions.entrySet()) {
      Key key = entry.getKey();
      if (key.version() != highestReady(key.name()).orElse(0)) {
        entry.getValue().unloadIfIdle(graceNanos);
      }
    }
  }

  /** Waits for a load the watcher asked for; false when the version was refused (logged by its lifecycle). */
  private static boolean servesOnceLoaded(CompletableFuture<ServedModel> load) {
    try {
      load.join();
      return true;
    } catch (CompletionException e) {
      return false;
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
