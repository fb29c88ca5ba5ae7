package ddpm.trainer.jobs;

import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;
import ddpm.trainer.core.TrainingListener;
import ddpm.trainer.core.TrainingSpec;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One training job's state machine and event log: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, or
 * QUEUED → CANCELLED. Every method holds the job's lock, so a watcher replaying the log and the training
 * thread appending to it see events in one order.
 */
final class Job implements TrainingListener {
  private final String id;
  private final TrainingSpec spec;
  private final EventLog log;
  private JobState state = JobState.QUEUED;
  private int step;
  private double loss;
  private long exportedVersion;
  private String error = "";
  private volatile boolean cancelRequested;

  Job(String id, TrainingSpec spec, int maxStepEvents) {
    this.id = id;
    this.spec = spec;
    this.log = new EventLog(maxStepEvents);
  }

  String id() {
    return id;
  }

  TrainingSpec spec() {
    return spec;
  }

  boolean cancelRequested() {
    return cancelRequested;
  }

  synchronized JobStatus status() {
    return new JobStatus(id, state, step, spec.steps(), loss, spec, exportedVersion, error);
  }

  /** QUEUED → RUNNING; false when the job was cancelled while it waited. */
  synchronized boolean start() {
    if (state != JobState.QUEUED) {
      return false;
    }
    state = JobState.RUNNING;
    return true;
  }

  /** A queued job ends at once; a running one is asked to stop before its next step; an ended one stays. */
  synchronized JobStatus cancel() {
    if (state == JobState.QUEUED) {
      finish(JobState.CANCELLED, "");
    } else if (state == JobState.RUNNING) {
      cancelRequested = true;
    }
    return status();
  }

  synchronized void finish(JobState end, String message) {
    if (state.ended()) {
      return;
    }
    state = end;
    error = message;
    log.append(new JobEvent.Finished(status()));
  }

  synchronized void watch(Consumer<JobEvent> watcher) {
    log.subscribe(watcher);
  }

  synchronized void unwatch(Consumer<JobEvent> watcher) {
    log.unsubscribe(watcher);
  }

  @Override
  public synchronized void onResume(int step, double loss) {
    this.step = step;
    this.loss = loss;
  }

  @Override
  public synchronized void onStep(StepReport report) {
    this.step = report.step();
    this.loss = report.loss();
    log.append(new JobEvent.Step(report));
  }

  @Override
  public synchronized void onCheckpoint(CheckpointReport report) {
    log.append(new JobEvent.Checkpoint(report));
  }

  @Override
  public synchronized void onExport(String model, long version, Path path) {
    this.exportedVersion = version;
    log.append(new JobEvent.Export(model, version, path.toString()));
  }
}
