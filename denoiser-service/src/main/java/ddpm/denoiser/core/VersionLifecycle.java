package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatcherClosedException;
import java.util.NoSuchElementException;
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
 *   AVAILABLE ── a request, the watcher or LoadModel ──────────────▶ LOADING
 *   LOADING ──── loaded and warmed up ─────────────────────────────▶ READY
 *   LOADING ──── the load or the warm-up failed ───────────────────▶ REFUSED
 *   LOADING ──── its folder left the repository ───────────────────▶ AVAILABLE
 *   READY ────── no request for the grace period, not the default ─▶ AVAILABLE
 *   AVAILABLE, LOADING, READY ── UnloadModel ──────────────────────▶ UNLOADED
 *   REFUSED, UNLOADED ── LoadModel ────────────────────────────────▶ LOADING
 *   any ──────── the registry closes ──────────────────────────────▶ closed: every later call is refused
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
  private final Executor loaderThreads;
  private final LongSupplier nanoClock;
  private VersionState state = VersionState.AVAILABLE;
  private String reason = "";
  /** The load running (LOADING) or done (READY); null in every other state. */
  private CompletableFuture<ServedModel> model;
  private long lastUsedNanos;
  private boolean closed;

  /**
   * @param loader loads and warms up this version; IllegalStateException with the reason when it cannot serve,
   *     NoSuchElementException when its folder is gone
   * @param loaderThreads where {@code loader} runs
   */
  VersionLifecycle(String name, long version, Supplier<ServedModel> loader, Executor loaderThreads,
      LongSupplier nanoClock) {
    this.name = name;
    this.version = version;
    this.loader = loader;
    this.loaderThreads = loaderThreads;
    this.nanoClock = nanoClock;
  }

  synchronized VersionStatus status() {
    return new VersionStatus(version, state, reason);
  }

  synchronized boolean ready() {
    return state == VersionState.READY;
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

  /** UnloadModel: out of service until LoadModel; calls already queued finish. A REFUSED version stays so. */
  void unload() {
    CompletableFuture<ServedModel> previous;
    synchronized (this) {
      if (closed || !inService()) {
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
    CompletableFuture<ServedModel> previous;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      previous = enter(VersionState.AVAILABLE, "");
    }
    release(previous, shuttingDown(), "the denoiser is shutting down");
  }

  @Override
  public String toString() {
    return "model \"" + name + "\" version " + version;
  }

  private CompletableFuture<ServedModel> acquire(boolean bringBack) {
    CompletableFuture<ServedModel> loading;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(shuttingDown());
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
    ServedModel served;
    try {
      served = loader.get();
    } catch (NoSuchElementException e) {
      endLoad(loading, VersionState.AVAILABLE, "", e);
      return;
    } catch (RuntimeException | Error e) {
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      if (endLoad(loading, VersionState.REFUSED, why, new IllegalStateException(this + " was refused: " + why, e))) {
        log.warning(() -> "refused " + this + ": " + why);
      }
      return;
    }
    boolean current;
    synchronized (this) {
      current = model == loading;
      if (current) {
        state = VersionState.READY;
        lastUsedNanos = nanoClock.getAsLong();
      }
    }
    // Not current, or failed in the instant after READY: the version was unloaded or closed, which told the callers.
    if (current && loading.complete(served)) {
      log.info(() -> "serving " + this);
    } else {
      served.close();
    }
  }

  /** Whether this load was still the current one and so moved the version to {@code next}. */
  private boolean endLoad(CompletableFuture<ServedModel> loading, VersionState next, String why,
      RuntimeException failure) {
    synchronized (this) {
      if (model != loading) {
        return false;
      }
      enter(next, why);
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
    return previous;
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
