package ddpm.trainer.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A job's events for replay, plus its live subscribers. Memory stays bounded: once more than
 * {@code maxSteps} step events are kept, every other one is dropped and from then on only steps that
 * are multiples of the doubled stride are kept. Checkpoint, export and finished events are always kept,
 * and live subscribers still get every step. So a late watcher of a 10⁷-step job replays at most
 * {@code maxSteps} evenly spaced steps, the newest of them within one stride of the current step.
 * Not thread-safe: {@link Job} guards it.
 */
final class EventLog {
  private static final Logger log = Logger.getLogger(EventLog.class.getName());
  private final int maxSteps;
  private final List<JobEvent> events = new ArrayList<>();
  private final List<Consumer<JobEvent>> subscribers = new ArrayList<>();
  private int keptSteps;
  private int stride = 1;

  EventLog(int maxSteps) {
    if (maxSteps < 2) {
      throw new IllegalArgumentException("maxSteps must be ≥ 2, got " + maxSteps);
    }
    this.maxSteps = maxSteps;
  }

  void append(JobEvent event) {
    if (event instanceof JobEvent.Step step) {
      if (step.report().step() % stride == 0) {
        events.add(event);
        keptSteps++;
        if (keptSteps > maxSteps) {
          thin();
        }
      }
    } else {
      events.add(event);
    }
    for (Consumer<JobEvent> subscriber : List.copyOf(subscribers)) {
      deliver(subscriber, event);
    }
    if (event instanceof JobEvent.Finished) {
      subscribers.clear();
    }
  }

  /** Replays the kept events to {@code subscriber}, then, unless the job has finished, keeps it for live ones. */
  void subscribe(Consumer<JobEvent> subscriber) {
    subscribers.add(subscriber);
    for (JobEvent event : events) {
      if (!deliver(subscriber, event)) {
        return;
      }
    }
    boolean finished = !events.isEmpty() && events.get(events.size() - 1) instanceof JobEvent.Finished;
    if (finished) {
      subscribers.remove(subscriber);
    }
  }

  /**
   * A watcher that throws (its client went away mid-send) is dropped: its failure must not reach the
   * training thread, which is the one appending.
   */
  private boolean deliver(Consumer<JobEvent> subscriber, JobEvent event) {
    try {
      subscriber.accept(event);
      return true;
    } catch (RuntimeException e) {
      subscribers.remove(subscriber);
      log.log(Level.FINE, "dropped a watcher that failed", e);
      return false;
    }
  }

  void unsubscribe(Consumer<JobEvent> subscriber) {
    subscribers.remove(subscriber);
  }

  private void thin() {
    stride *= 2;
    keptSteps = 0;
    List<JobEvent> kept = new ArrayList<>(events.size());
    for (JobEvent e : events) {
      if (!(e instanceof JobEvent.Step s)) {
        kept.add(e);
      } else if (s.report().step() % stride == 0) {
        kept.add(e);
        keptSteps++;
      }
    }
    events.clear();
    events.addAll(kept);
  }
}
