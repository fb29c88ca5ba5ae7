package ddpm.trainer.jobs;

import ddpm.trainer.core.CheckpointReport;
import ddpm.trainer.core.StepReport;

/** What a job's watchers receive, in order; {@link Finished} is always the last. */
public sealed interface JobEvent {
  record Step(StepReport report) implements JobEvent {}

  record Checkpoint(CheckpointReport report) implements JobEvent {}

  record Export(String model, long version, String path) implements JobEvent {}

  record Finished(JobStatus status) implements JobEvent {}
}
