package ddpm.trainer.jobs;

/** What a job's watchers receive, in order; {@link Finished} is always the last. */
public sealed interface JobEvent {
  record Step(int step, int totalSteps, double loss, double imagesPerSecond) implements JobEvent {}

  record Checkpoint(int step, String path) implements JobEvent {}

  record Export(String model, long version, String path) implements JobEvent {}

  record Finished(JobStatus status) implements JobEvent {}
}
