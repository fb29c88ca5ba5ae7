package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatcherClosedException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One version of one model in this denoiser: its {@link VersionState}, the reason when it is REFUSED or
 * UNLOADED, and its model while LOADING or READY. Every change of state happens here:
 *
 * <pre>
 *   AVAILABLE ── a request, the watcher, LoadModel or SetDefaultVersion ─▶ LOADING
 *   LOADING ──── loaded and warmed up ───────────────────────────────────▶ READY
 *   LOADING ──── the load, the warm-up or the model's contract failed ───▶ REFUSED
 *   LOADING ──── its folder left the repository during the load ─────────▶ AVAILABLE
 *   READY ────── no request for the grace period, not the default ───────▶ AVAILABLE
 *   AVAILABLE, LOADING, READY ── UnloadModel ────────────────────────────▶ UNLOADED
 *   REFUSED, UNLOADED ── LoadModel or SetDefaultVersion ─────────────────▶ LOADING
 *   REFUSED ──── its files changed, then held still for a watcher pass ──▶ LOADING
 *   any ──────── the watcher found its folder gone ──────────────────────▶ removed: later calls look it up again
 *   any ──────── the registry closes ────────────────────────────────────▶ closed: every later call is refused
 * </pre>
 *
 * <p>The load runs on the registry's loader threads, never on the caller's; callers that come while it runs
 * wait for that one load. Leaving READY closes the model once its queued calls have finished; leaving LOADING
 * fails the callers waiting for it, and the load closes what it loaded when it ends. Futures are completed
 * outside the lock, so what callers chain on them never runs under it.
 */
final class VersionLifecycle {
  private static final Logger log = Logger.getLogger(VersionLifecycle.class.getName());
  private static final String UNLOADED_BY_OPERATOR = "unloaded by UnloadModel";

  private final String name;
  private final long version;
  private final Supplier<ServedModel> loader;
  private final Supplier<FolderFingerprint> folder;
  private final Executor loaderThreads;
  private final LongSupplier nanoClock;
  private final VersionListener listener;
  private VersionState state = VersionState.AVAILABLE;
  private String reason = "";
  /** The load running (LOADING) or done (READY); null in every other state. */
  private CompletableFuture<ServedModel> model;
  /** The card of the model it serves while READY; null in every other state. */
  private VersionedCard servedCard;
  /** The device and precision of the model it serves while READY; empty in every other state. */
  private String servedDevice = "";
  private String servedPrecision = "";
  private String servedGroupNorm = "";
  /**
   * While REFUSED: the folder as the refused load began, and as the watcher last saw it. A folder that differs
   * from the first and equals the second has changed since the refusal and then held still for a pass.
   */
  private FolderFingerprint refusedWith;
  private FolderFingerprint lastSeen;
  private long lastUsedNanos;
  /** What every later call fails with once the registry closed or the folder left the repository; null before. */
  private Supplier<RuntimeException> retired;

  /**
   * @param loader loads and warms up this version; IllegalStateException with the reason when it cannot serve,
   *     NoSuchElementException when its folder is gone
   * @param folder the fingerprint of this version's folder now
   * @param loaderThreads where {@code loader} runs
   * @param listener told of every change of state and of each load that made it READY
   */
  VersionLifecycle(String name, long version, Supplier<ServedModel> loader, Supplier<FolderFingerprint> folder,
      Executor loaderThreads, LongSupplier nanoClock, VersionListener listener) {
    this.name = name;
    this.version = version;
    this.loader = loader;
    this.folder = folder;
    this.loaderThreads = loaderThreads;
    this.nanoClock = nanoClock;
    this.listener = listener;
    listener.onState(name, version, state);
  }

  synchronized VersionStatus status() {
    return new VersionStatus(version, state, reason, servedDevice, servedPrecision, servedGroupNorm);
  }

  synchronized boolean ready() {
    return state == VersionState.READY;
  }

  /** The card of the model it serves while READY; empty otherwise. */
  synchronized Optional<VersionedCard> servedCard() {
    return Optional.ofNullable(servedCard);
  }

  /** Neither REFUSED nor UNLOADED: a request may load it. */
  synchronized boolean inService() {
    return state != VersionState.REFUSED && state != VersionState.UNLOADED;
  }

  /** A request: the model once READY, loading it if AVAILABLE; refused while REFUSED or UNLOADED. */
  CompletableFuture<ServedModel> serve() {
    return acquire(false);
  }

  /** LoadModel: as {@link #serve()}, and a REFUSED or UNLOADED version gets another load. */
  CompletableFuture<ServedModel> load() {
    return acquire(true);
  }

  /**
   * The watcher's look at a REFUSED version: another load once its folder differs from when the refused load
   * began and has not changed since the previous look (files copied in one by one, rather than published by an
   * atomic rename, have stopped arriving). Empty when it is not tried again.
   */
  Optional<CompletableFuture<ServedModel>> retryIfSettled() {
    synchronized (this) {
      if (retired != null || state != VersionState.REFUSED) {
        return Optional.empty();
      }
    }
    // Outside the lock: a request for a refused version is answered without waiting for the disk.
    FolderFingerprint now = folder.get();
    synchronized (this) {
      boolean settled = state == VersionState.REFUSED && !now.equals(refusedWith) && now.equals(lastSeen);
      lastSeen = now;
      if (!settled) {
        return Optional.empty();
      }
    }
    log.info(() -> "trying " + this + " again: its files changed after it was refused");
    return Optional.of(load());
  }

  /** UnloadModel: out of service until LoadModel; calls already queued finish. A REFUSED version stays so. */
  void unload() {
    CompletableFuture<ServedModel> previous;
    synchronized (this) {
      if (retired != null || !inService()) {
        return;
      }
      previous = enter(VersionState.UNLOADED, UNLOADED_BY_OPERATOR);
    }
    release(previous, unloadedByOperator(), UNLOADED_BY_OPERATOR);
  }

  /**
   * READY → AVAILABLE when this version has had no request for {@code graceNanos}. The caller has checked that
   * it is not its model's default.
   */
  void unloadIfIdle(long graceNanos) {
    CompletableFuture<ServedModel> previous;
    synchronized (this) {
      if (state != VersionState.READY || nanoClock.getAsLong() - lastUsedNanos < graceNanos) {
        return;
      }
      previous = enter(VersionState.AVAILABLE, "");
    }
    // A caller still waiting for this load retries through the registry, as one that found the batcher closed.
    release(previous, new BatcherClosedException(this + " was unloaded for being idle"),
        "idle for the grace period and no longer the default");
  }

  /** Refuses every later call and closes the model (a load still running closes its own when it ends). */
  void close() {
    retire(this::shuttingDown, "the denoiser is shutting down");
  }

  /**
   * Its folder left the repository: the model closes once its queued calls have finished, and every later call
   * fails as one that found the batcher closed, so that the registry looks the version up again (version 0 finds
   * the new default; a named version is NOT_FOUND).
   */
  void removed() {
    retire(() -> new BatcherClosedException(this + " left the repository"), "its folder left the repository");
    listener.onRemoved(name, version);
  }

  @Override
  public String toString() {
    return "model \"" + name + "\" version " + version;
  }

  private CompletableFuture<ServedModel> acquire(boolean bringBack) {
    CompletableFuture<ServedModel> loading;
    synchronized (this) {
      if (retired != null) {
        return CompletableFuture.failedFuture(retired.get());
      }
      lastUsedNanos = nanoClock.getAsLong();
      if (model != null) {
        return model;
      }
      if (!bringBack && state == VersionState.REFUSED) {
        return CompletableFuture.failedFuture(new IllegalStateException(this + " was refused: " + reason));
      }
      if (!bringBack && state == VersionState.UNLOADED) {
        return CompletableFuture.failedFuture(unloadedByOperator());
      }
      enter(VersionState.LOADING, "");
      loading = new CompletableFuture<>();
      model = loading;
      // Under the lock: the registry closes every lifecycle before it shuts the loader threads down, so they
      // are still taking work here.
      loaderThreads.execute(() -> runLoad(loading));
    }
    return loading;
  }

  /** On a loader thread: LOADING → READY, REFUSED or AVAILABLE, unless the version left LOADING meanwhile. */
  private void runLoad(CompletableFuture<ServedModel> loading) {
    FolderFingerprint before = null;
    ServedModel served;
    long began = nanoClock.getAsLong();
    try {
      before = folder.get();
      served = loader.get();
    } catch (NoSuchElementException e) {
      endLoad(loading, VersionState.AVAILABLE, "", e, null);
      return;
    } catch (RuntimeException | Error e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      if (endLoad(loading, VersionState.REFUSED, why, new IllegalStateException(this + " was refused: " + why, e),
          before)) {
        log.warning(() -> "refused " + this + ": " + why);
      }
      return;
    }
    boolean current;
    synchronized (this) {
      current = model == loading;
      if (current) {
        state = VersionState.READY;
        servedCard = served.card();
        servedDevice = served.network().device();
        servedPrecision = served.network().precision();
        servedGroupNorm = served.network().groupNorm();
        lastUsedNanos = nanoClock.getAsLong();
        listener.onState(name, version, state);
        listener.onLoaded(name, version, servedDevice, servedPrecision, servedGroupNorm, lastUsedNanos - began);
      }
    }
    // Not current, or failed in the instant after READY: the version was unloaded or closed, which told the callers.
    if (current && loading.complete(served)) {
      log.info(() -> "serving " + this + " on " + served.network().device() + ", " + served.network().precision()
          + ", GroupNorm+SiLU " + served.network().groupNorm());
    } else {
      served.close();
    }
  }

  /**
   * Whether this load was still the current one and so moved the version to {@code next}; {@code folderBefore}: the
   * folder as the load began, which a REFUSED version keeps to see its files change.
   */
  private boolean endLoad(CompletableFuture<ServedModel> loading, VersionState next, String why,
      RuntimeException failure, FolderFingerprint folderBefore) {
    synchronized (this) {
      if (model != loading) {
        return false;
      }
      enter(next, why);
      refusedWith = folderBefore;
      lastSeen = folderBefore;
    }
    loading.completeExceptionally(failure);
    return true;
  }

  /** Moves to {@code next}, returning the model it leaves behind (null when there was none). */
  private CompletableFuture<ServedModel> enter(VersionState next, String why) {
    CompletableFuture<ServedModel> previous = model;
    state = next;
    reason = why;
    model = null;
    servedCard = null;
    servedDevice = "";
    servedPrecision = "";
    servedGroupNorm = "";
    refusedWith = null;
    lastSeen = null;
    listener.onState(name, version, next);
    return previous;
  }

  /** Refuses every later call with {@code refusal} and frees the model; the first retirement wins. */
  private void retire(Supplier<RuntimeException> refusal, String why) {
    CompletableFuture<ServedModel> previous;
    synchronized (this) {
      if (retired != null) {
        return;
      }
      retired = refusal;
      previous = enter(VersionState.AVAILABLE, "");
    }
    release(previous, refusal.get(), why);
  }

  /**
   * Frees the model a state change left behind: fails the callers still waiting for its load with
   * {@code failure}, or once loaded closes it after its queued calls.
   */
  private void release(CompletableFuture<ServedModel> previous, RuntimeException failure, String why) {
    if (previous == null || previous.completeExceptionally(failure)) {
      return;
    }
    previous.join().close();
    log.info(() -> "unloaded " + this + ": " + why);
  }

  private IllegalStateException unloadedByOperator() {
    return new IllegalStateException(this + " was unloaded by UnloadModel; LoadModel serves it again");
  }

  private IllegalStateException shuttingDown() {
    return new IllegalStateException("model \"" + name + "\": the denoiser is shutting down");
  }
}
