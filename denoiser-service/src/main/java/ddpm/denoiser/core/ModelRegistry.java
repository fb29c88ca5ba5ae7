package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatcherClosedException;
import ddpm.repository.ModelRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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
 * logged, and the previous default keeps serving. An operator may pin the default instead ({@link #pin}): newer
 * versions then load and wait, READY, until one is pinned or the pin is cleared. A version must keep its model's
 * contract ({@link ModelContract}): that of the default, or while no version is READY that of the model's lowest
 * version in the repository, so the first version sets it and a restart lets through nothing the running
 * denoiser refused. {@link #refresh()} (run by the repository watcher) forgets versions whose folders left the
 * repository, tries again refused versions whose files have changed and settled, loads the newest loadable
 * version of every model (with {@link ModelLoading#ON_REQUEST}, of every model something has asked for), and
 * unloads versions that are not the default and have had no request for the grace
 * period; a request that names such a version later loads it again, so a sampling request that resolved its
 * version never loses it. Each (model, version) loads once, on one of the registry's own loader threads:
 * concurrent requests wait for that one load, and no caller's thread is held by it.
 *
 * <p>A pin is this denoiser's own, held in memory as UnloadModel's choices are: each replica is pinned on its
 * own, and a restarted one starts unpinned. The denoiser only reads the repository (the trainer writes it), so it
 * may be mounted read-only.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = Logger.getLogger(ModelRegistry.class.getName());
  /**
   * Two, so that a request for a cold version it names does not wait behind the watcher's load of a new one;
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
  private final VersionListener listener;
  private final ModelLoading loading;
  /** Every version this registry has met, by model then version; the others are AVAILABLE. */
  private final ConcurrentSkipListMap<Key, VersionLifecycle> versions = new ConcurrentSkipListMap<>();
  /** The pinned default version of each pinned model. */
  private final ConcurrentHashMap<String, Long> pins = new ConcurrentHashMap<>();
  private final ExecutorService loaderThreads;
  private volatile boolean closed;

  /** Telling no {@link VersionListener}. */
  public ModelRegistry(ModelCatalog catalog, VersionLoader loader, long graceNanos, LongSupplier nanoClock) {
    this(catalog, loader, graceNanos, nanoClock, VersionListener.NONE, ModelLoading.AT_START);
  }

  /**
   * @param graceNanos how long a version that is no longer the default stays loaded after its last request
   * @param nanoClock {@link System#nanoTime} in production; tests move time by hand
   * @param listener told of each version's changes of state and loads (the metrics)
   * @param loading whether {@link #refresh()} loads models nothing has asked for yet
   */
  public ModelRegistry(ModelCatalog catalog, VersionLoader loader, long graceNanos, LongSupplier nanoClock,
      VersionListener listener, ModelLoading loading) {
    this.catalog = catalog;
    this.loader = loader;
    this.graceNanos = graceNanos;
    this.nanoClock = nanoClock;
    this.listener = listener;
    this.loading = loading;
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
   * version unloaded just as the call found it, or one whose folder left the repository), the version is looked
   * up again and {@code work} runs once more.
   */
  public <T> CompletableFuture<T> submit(String name, long version, Function<ServedModel, CompletableFuture<T>> work) {
    Supplier<CompletableFuture<T>> attempt = () -> lifecycle(name, version).serve().thenCompose(work);
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
   * What version 0 of {@code name} means: its pinned version, else its highest READY version, or before any is
   * READY the highest one that is neither refused nor unloaded; empty when every version is refused or unloaded.
   */
  public OptionalLong servingDefault(String name) {
    OptionalLong ready = readyDefault(name);
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
   * later ones are refused. The default falls to the next highest READY version. The pinned version is not
   * unloaded (IllegalStateException): pin another or clear the pin first.
   */
  public void unload(String name, long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: name the version to unload (> 0), got " + version);
    }
    VersionLifecycle lifecycle = lifecycle(name, version);
    if (pinned(name).equals(OptionalLong.of(version))) {
      throw new IllegalStateException(lifecycle + " is the pinned default version; pin another "
          + "(SetDefaultVersion) or clear the pin (ClearDefaultVersion) before unloading it");
    }
    lifecycle.unload();
  }

  /**
   * SetDefaultVersion: loads {@code version} (a refused or unloaded one gets another try) and, once it is READY,
   * makes it what version 0 of {@code name} means, whatever versions become READY after it, until another pin or
   * {@link #unpin}. Its card; IllegalStateException with the reason if it cannot serve.
   */
  public CompletableFuture<VersionedCard> pin(String name, long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: name the version to pin (> 0), got " + version);
    }
    return lifecycle(name, version).load().thenApply(served -> {
      pins.put(name, version);
      log.info(() -> "pinned model \"" + name + "\" to version " + version);
      return served.card();
    });
  }

  /**
   * ClearDefaultVersion: version 0 of {@code name} means its highest READY version again (nothing changes when
   * it is not pinned). What version 0 means now.
   */
  public OptionalLong unpin(String name) {
    catalog.versions(name); // NOT_FOUND for a model the repository does not hold, pinned or not
    Long was = pins.remove(name);
    if (was != null) {
      log.info(() -> "unpinned model \"" + name + "\" from version " + was);
    }
    return servingDefault(name);
  }

  /** The version {@code name} is pinned to, if it is. */
  public OptionalLong pinned(String name) {
    Long version = pins.get(name);
    return version == null ? OptionalLong.empty() : OptionalLong.of(version);
  }

  /**
   * One pass of the repository watcher: unloads versions whose folders left the repository (clearing a pin on
   * one); for every model, tries again refused versions whose files have changed and settled, then tries its
   * versions above its highest READY one from the highest down until one loads; then unloads idle versions that
   * are neither their model's default nor its highest READY one (the default once unpinned). With
   * {@link ModelLoading#ON_REQUEST} a model no request, LoadModel or SetDefaultVersion has named is left alone.
   */
  public void refresh() {
    List<ModelVersions> models = catalog.list();
    forgetRemovedVersions(models);
    for (ModelVersions model : models) {
      if (loading == ModelLoading.ON_REQUEST && ofModel(model.name()).isEmpty()) {
        continue;
      }
      for (VersionLifecycle lifecycle : ofModel(model.name()).values()) {
        lifecycle.retryIfSettled().ifPresent(ModelRegistry::servesOnceLoaded);
      }
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
      statuses.add(status(model.name(), version));
    }
    return statuses;
  }

  /** {@code version} (≥ 1) of {@code name} as this denoiser holds it; AVAILABLE if it has not met it. */
  public VersionStatus status(String name, long version) {
    VersionLifecycle lifecycle = versions.get(new Key(name, version));
    return lifecycle == null ? new VersionStatus(version, VersionState.AVAILABLE, "", "", "", "") : lifecycle.status();
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
        () -> loadVersion(k), () -> catalog.fingerprint(k.name(), k.version()), loaderThreads, nanoClock,
        listener));
    // One made as close() went over the map may have been missed by it.
    if (closed) {
      lifecycle.close();
    }
    return lifecycle;
  }

  /** On a loader thread. */
  private ServedModel loadVersion(Key key) {
    VersionedCard card = catalog.describe(key.name(), key.version());
    requireContract(card);
    return loader.load(card, catalog.versionDir(card));
  }

  /** IllegalStateException naming each difference unless {@code card} keeps its model's contract. */
  private void requireContract(VersionedCard card) {
    contractSetter(card).ifPresent(setter -> {
      List<String> changes = ModelContract.of(setter.card()).changesTo(ModelContract.of(card.card()));
      if (!changes.isEmpty()) {
        throw new IllegalStateException("it breaks the contract version " + setter.version() + " set: "
            + String.join(", ", changes) + "; a different network is a different model name");
      }
    });
  }

  /**
   * The card whose contract {@code card} must keep: the served default's, or while none is READY the lowest
   * version's whose card reads; empty when that is {@code card} itself.
   */
  private Optional<VersionedCard> contractSetter(VersionedCard card) {
    OptionalLong served = readyDefault(card.name());
    if (served.isPresent() && served.getAsLong() != card.version()) {
      VersionLifecycle lifecycle = versions.get(new Key(card.name(), served.getAsLong()));
      Optional<VersionedCard> setter = lifecycle == null ? Optional.empty() : lifecycle.servedCard();
      if (setter.isPresent()) {
        return setter;
      }
    }
    for (long version : catalog.versions(card.name())) {
      if (version == card.version()) {
        return Optional.empty();
      }
      try {
        return Optional.of(catalog.describe(card.name(), version));
      } catch (RuntimeException unreadable) {
        // A version whose card cannot be read (or that left meanwhile) sets no contract; the next one up does.
      }
    }
    return Optional.empty();
  }

  /** The pinned version of {@code name}, else its highest READY one: its default once it serves. */
  private OptionalLong readyDefault(String name) {
    OptionalLong pinned = pinned(name);
    return pinned.isPresent() ? pinned : highestReady(name);
  }

  /** The highest READY version of {@code name}, if any. */
  private OptionalLong highestReady(String name) {
    for (Map.Entry<Key, VersionLifecycle> entry : ofModel(name).descendingMap().entrySet()) {
      if (entry.getValue().ready()) {
        return OptionalLong.of(entry.getKey().version());
      }
    }
    return OptionalLong.empty();
  }

  private NavigableMap<Key, VersionLifecycle> ofModel(String name) {
    return versions.subMap(new Key(name, 0), true, new Key(name, Long.MAX_VALUE), true);
  }

  /**
   * Unloads every version that has left the repository, listed as {@code models} (calls already queued for it
   * finish), and clears a pin on one, so that version 0 falls back to the highest READY version. A repository
   * that lists no model at all is what a volume that is not mounted looks like, so it unloads nothing.
   */
  private void forgetRemovedVersions(List<ModelVersions> models) {
    if (models.isEmpty()) {
      return;
    }
    Map<String, List<Long>> listed = new HashMap<>();
    models.forEach(model -> listed.put(model.name(), model.versions()));
    for (Map.Entry<Key, VersionLifecycle> entry : versions.entrySet()) {
      Key key = entry.getKey();
      // The listing is a moment old: a version published since (and already requested) is still there.
      boolean gone = !listed.getOrDefault(key.name(), List.of()).contains(key.version())
          && !catalog.holds(key.name(), key.version());
      if (gone && versions.remove(key, entry.getValue())) {
        entry.getValue().removed();
      }
    }
    pins.forEach((name, version) -> {
      if (!versions.containsKey(new Key(name, version)) && pins.remove(name, version)) {
        log.warning(() -> "model \"" + name + "\": the pinned default version " + version
            + " left the repository, so the pin is cleared and the default is the highest READY version");
      }
    });
  }

  private void unloadIdle() {
    for (Map.Entry<Key, VersionLifecycle> entry : versions.entrySet()) {
      Key key = entry.getKey();
      long version = key.version();
      if (version != readyDefault(key.name()).orElse(0) && version != highestReady(key.name()).orElse(0)) {
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
