package ddpm.sampler.grpc;

import ddpm.grpc.StatusMapper;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A server-streaming call run on the sampling threads: its request is checked at once, then its work waits in their
 * bounded queue, which it leaves as soon as its caller cancels or its deadline passes ({@link SamplingThreads}),
 * and runs inside the caller's gRPC context, so that every denoiser and scheduler call inherits the caller's deadline
 * and is cancelled with the call. Any exception ends the call with the status StatusMapper gives it, unless the
 * caller has gone.
 */
final class QueuedCall {
  /** What a call does on its thread: sends its events; {@code cancelled} turns true once its caller has gone. */
  @FunctionalInterface
  interface Work<T> {
    void run(ServerCallStreamObserver<T> call, BooleanSupplier cancelled);
  }

  private QueuedCall() {}

  /**
   * Starts {@code observer}'s call: {@code prepare} checks and converts its request at once, on gRPC's thread (a
   * failure ends the call there), and returns its work; the call completes when the work returns.
   */
  static <T> void start(StreamObserver<T> observer, SamplingThreads threads, Supplier<Work<T>> prepare) {
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicReference<Runnable> queued = new AtomicReference<>();
    // With a handler set, an event sent after the client went away is dropped instead of thrown.
    call.setOnCancelHandler(() -> {
      cancelled.set(true);
      Runnable task = queued.get();
      if (task != null) {
        threads.withdraw(task);
      }
    });
    try {
      Work<T> work = prepare.get();
      Runnable task = Context.current().wrap(() -> run(work, call, cancelled));
      queued.set(task);
      threads.execute(task);
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatus(e));
    }
  }

  private static <T> void run(Work<T> work, ServerCallStreamObserver<T> call, AtomicBoolean cancelled) {
    if (cancelled.get()) {
      // The caller went away while the call waited for a thread.
      return;
    }
    try {
      work.run(call, () -> cancelled.get() || Context.current().isCancelled());
      call.onCompleted();
    } catch (RuntimeException | Error e) {
      if (!cancelled.get()) {
        call.onError(StatusMapper.toStatus(e));
      }
    }
  }
}
