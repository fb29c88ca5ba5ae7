package ddpm.trainer.jobs;

import ddpm.trainer.core.TrainingSpec;

/** A job at one moment. {@code exportedVersion} is 0 until published; {@code error} is empty unless FAILED. */
public record JobStatus(
    String id, JobState state, int step, int totalSteps, double loss, TrainingSpec spec, long exportedVersion,
    String error) {}
