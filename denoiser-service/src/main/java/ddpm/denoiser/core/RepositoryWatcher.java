package ddpm.denoiser.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link ModelRegistry#refresh()} now and then every poll interval on a thread of its own. Polling, not
 * file-system events: the repository may be a network volume, where events are not delivered.
 */
public final class RepositoryWatcher implements AutoCloseable {
  private static final Logger log = Logger.getLogger(RepositoryWatcher.class.getName());

  private final ModelRegistry registry;
  private final Duration poll;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread t = new Thread(task, "repository-watcher");
    t.setDaemon(true);
    return t;
  });

  public RepositoryWatcher(ModelRegistry registry, Duration poll) {
    this.registry = registry;
    this.poll = poll;
  }

  /** Starts watching; {@code afterFirstPass} runs once the first pass has loaded (or refused) every model. */
  public void start(Runnable afterFirstPass) {
    thread.execute(() -> {
      pass();
      afterFirstPass.run();
    });
    thread.scheduleWithFixedDelay(this::pass, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pass() {
    try {
      registry.refresh();
    } catch (RuntimeException e) {
      // A repository that cannot be listed now (a volume remounting) may be readable at the next pass.
      log.log(Level.WARNING, "repository pass failed", e);
    }
  }
}
