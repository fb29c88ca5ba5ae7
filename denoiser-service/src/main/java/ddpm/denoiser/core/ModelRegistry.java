package ddpm.denoiser.core;

import ddpm.repository.ModelRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Which versions of which models this denoiser serves.
 *
 * <p>A model's default (what version 0 means) is its highest READY version, so a newly published version
 * takes over only once it is loaded and warmed up, and a broken one never does: it is REFUSED, its reason is
 * logged, and the previous default keeps serving. {@link #refresh()} (run by the repository watcher) loads
 * the newest loadable version of every model and unloads versions that are not the default and have had no
 * request for the grace period; a request that names such a version later loads it again, so a pinned
 * sampling request never loses its version. Each (model, version) loads once: concurrent requests wait for
 * that one load.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = Logger.getLogger(ModelRegistry.class.getName());

  private record Key(String name, long version) {}

  private static final class Slot {
    final CompletableFuture<ServedModel> model = new CompletableFuture<>();
    volatile long lastUsedNanos;

    boolean ready() {
      return model.isDone() && !model.isCompletedExceptionally();
    }
  }

  private final ModelCatalog catalog;
  private final VersionLoader loader;
  private final long graceNanos;
  private final LongSupplier nanoClock;
  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
  private final Map<Key, String> refused = new ConcurrentHashMap<>();
  private final Set<Key> unloaded = ConcurrentHashMap.newKeySet();
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
  }

  /** The served {@code name} at {@code version} (0: the default), loading it if needed. */
  public ServedModel get(String name, long version) {
    Key key = new Key(name, resolve(name, version));
    String reason = refused.get(key);
    if (reason != null) {
      throw new IllegalStateException("model \"" + name + "\" version " + key.version() + " was refused: " + reason);
    }
    if (unloaded.contains(key)) {
      throw new IllegalStateException("model \"" + name + "\" version " + key.version()
          + " was unloaded by UnloadModel; LoadModel serves it again");
    }
    return acquire(key);
  }

  /**
   * The version a request for {@code version} means: itself, or for 0 the {@linkplain #servingDefault default}.
   */
  public long resolve(String name, long version) {
    ModelRepository.checkName(name, "model");
    if (version < 0) {
      throw new IllegalArgumentException("version: must be ≥ 0 (0: the default), got " + version);
    }
    if (version > 0) {
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
    List<Long> versions = catalog.versions(name);
    for (int i = versions.size() - 1; i >= 0; i--) {
      Key key = new Key(name, versions.get(i));
      if (!refused.containsKey(key) && !unloaded.contains(key)) {
        return OptionalLong.of(key.version());
      }
    }
    return OptionalLong.empty();
  }

  /** The card of {@code name} at {@code version} (0: the default), without loading it. */
  public VersionedCard describe(String name, long version) {
    return catalog.describe(name, resolve(name, version));
  }

  /** The highest READY version of {@code name}, if any. */
  private OptionalLong highestReady(String name) {
    return slots.entrySet().stream()
        .filter(e -> e.getKey().name().equals(name) && e.getValue().ready())
        .mapToLong(e -> e.getKey().version())
        .max();
  }

  /**
   * LoadModel: loads and warms up {@code version} (0: the highest in the repository) now, giving a refused or
   * unloaded version another try; its card once it is READY, IllegalStateException with the reason if not.
   */
  public VersionedCard load(String name, long version) {
    Key key = new Key(name, catalog.resolve(name, version));
    refused.remove(key);
    unloaded.remove(key);
    return acquire(key).card();
  }

  /**
   * UnloadModel: takes {@code version} out of service until LoadModel. Calls already queued for it finish;
   * later ones are refused. The default falls to the next highest READY version.
   */
  public void unload(String name, long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: name the version to unload (> 0), got " + version);
    }
    Key key = new Key(name, catalog.resolve(name, version));
    unloaded.add(key);
    Slot slot = slots.remove(key);
    if (slot != null) {
      closeWhenLoaded(key, slot, "unloaded by UnloadModel");
    }
  }

  /**
   * One pass of the repository watcher: for every model, tries its versions above the current default from
   * the highest down until one loads; then unloads idle versions that are not their model's default.
   */
  public void refresh() {
    for (ModelVersions model : catalog.list()) {
      long current = highestReady(model.name()).orElse(0);
      List<Long> versions = model.versions();
      for (int i = versions.size() - 1; i >= 0 && versions.get(i) > current && !closed; i--) {
        Key key = new Key(model.name(), versions.get(i));
        if (refused.containsKey(key) || unloaded.contains(key)) {
          continue;
        }
        try {
          acquire(key);
          break;
        } catch (RuntimeException e) {
          // Refused and logged by acquire; the next lower version may still serve.
        }
      }
    }
    unloadIdle();
  }

  /** Every version of every model in the repository, with its state. */
  public List<VersionStatus> statuses(ModelVersions model) {
    List<VersionStatus> statuses = new ArrayList<>();
    for (long version : model.versions()) {
      Key key = new Key(model.name(), version);
      Slot slot = slots.get(key);
      if (refused.containsKey(key)) {
        statuses.add(new VersionStatus(version, VersionState.REFUSED, refused.get(key)));
      } else if (unloaded.contains(key)) {
        statuses.add(new VersionStatus(version, VersionState.UNLOADED, "unloaded by UnloadModel"));
      } else if (slot == null) {
        statuses.add(new VersionStatus(version, VersionState.AVAILABLE, ""));
      } else {
        statuses.add(new VersionStatus(version, slot.ready() ? VersionState.READY : VersionState.LOADING, ""));
      }
    }
    return statuses;
  }

  /** Closes every served version; later requests fail with IllegalStateException. */
  @Override
  public void close() {
    List<Slot> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(slots.values());
      slots.clear();
    }
    for (Slot slot : open) {
      if (slot.ready()) {
        slot.model.join().close();
      }
    }
  }

  private ServedModel acquire(Key key) {
    if (closed) {
      throw shuttingDown(key.name());
    }
    Slot mine = new Slot();
    Slot existing = slots.putIfAbsent(key, mine);
    Slot slot = existing == null ? mine : existing;
    if (existing == null) {
      loadInto(key, mine);
    }
    ServedModel model = await(slot.model);
    slot.lastUsedNanos = nanoClock.getAsLong();
    return model;
  }

  private void loadInto(Key key, Slot slot) {
    ServedModel model;
    try {
      VersionedCard card = catalog.describe(key.name(), key.version());
      model = loader.load(card, catalog.versionDir(card));
    } catch (NoSuchElementException e) {
      slots.remove(key, slot);
      slot.model.completeExceptionally(e);
      return;
    } catch (RuntimeException e) {
      String reason = e.getMessage();
      refused.put(key, reason);
      slots.remove(key, slot);
      log.warning(() -> "refused model \"" + key.name() + "\" version " + key.version() + ": " + reason);
      slot.model.completeExceptionally(new IllegalStateException(
          "model \"" + key.name() + "\" version " + key.version() + " was refused: " + reason, e));
      return;
    }
    synchronized (this) {
      if (!closed) {
        slot.model.complete(model);
        log.info(() -> "serving model \"" + key.name() + "\" version " + key.version());
        return;
      }
    }
    model.close();
    slot.model.completeExceptionally(shuttingDown(key.name()));
  }

  private void unloadIdle() {
    long now = nanoClock.getAsLong();
    for (Map.Entry<Key, Slot> entry : slots.entrySet()) {
      Key key = entry.getKey();
      Slot slot = entry.getValue();
      boolean idle = now - slot.lastUsedNanos >= graceNanos;
      if (slot.ready() && idle && key.version() != highestReady(key.name()).orElse(0)
          && slots.remove(key, slot)) {
        closeWhenLoaded(key, slot, "idle for the grace period and no longer the default");
      }
    }
  }

  private static void closeWhenLoaded(Key key, Slot slot, String why) {
    slot.model.thenAccept(model -> {
      model.close();
      log.info(() -> "unloaded model \"" + key.name() + "\" version " + key.version() + ": " + why);
    });
  }

  private static IllegalStateException shuttingDown(String name) {
    return new IllegalStateException("model \"" + name + "\": the denoiser is shutting down");
  }

  private static ServedModel await(CompletableFuture<ServedModel> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
