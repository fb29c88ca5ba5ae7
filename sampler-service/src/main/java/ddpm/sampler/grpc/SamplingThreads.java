package ddpm.sampler.grpc;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that sample requests: at most {@code maxRunning} at once, and up to {@code maxQueued} more
 * waiting in arrival order for one of them to end. A request beyond both is refused at once with a
 * RejectedExecutionException (RESOURCE_EXHAUSTED) that says so: a burst waits, but a caller never waits
 * behind an unbounded backlog, and a client that is refused can go to another replica. A waiting request
 * whose caller goes away is {@link #withdraw withdrawn}, so it neither holds a place nor runs.
 */
public final class SamplingThreads extends ThreadPoolExecutor {
  private static final long IDLE_SECONDS = 60;

  public SamplingThreads(int maxRunning, int maxQueued) {
    super(maxRunning, maxRunning, IDLE_SECONDS, TimeUnit.SECONDS, queue(maxQueued), threads(),
        (request, pool) -> {
          throw new RejectedExecutionException(pool.isShutdown()
              ? "the sampler is stopping; retry on another replica"
              : "the sampler is full: " + maxRunning + " requests sampling and " + maxQueued
                  + " waiting, the most it takes; retry with backoff, or on another sampler replica");
        });
    allowCoreThreadTimeOut(true);
  }

  /** Requests waiting for a thread. */
  public int queued() {
    return getQueue().size();
  }

  /** Takes a request that is still waiting out of the queue; false when it has started (or was never queued). */
  public boolean withdraw(Runnable request) {
    return remove(request);
  }

  private static BlockingQueue<Runnable> queue(int capacity) {
    return capacity == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(capacity);
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "sampler-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
