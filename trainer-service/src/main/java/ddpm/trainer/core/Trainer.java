package ddpm.trainer.core;

import java.util.function.BooleanSupplier;

/** Runs one training job to its end; the job manager calls it on its single training thread. */
public interface Trainer {
  /**
   * The spec as the job will run it, checked against the data set's images (IllegalArgumentException naming
   * the field) and, when resuming, against the model's latest checkpoint; IllegalStateException when it is
   * valid but cannot run here (MNIST not downloaded, nothing to resume, a configuration that contradicts
   * the checkpoint's); RejectedExecutionException when its estimated memory is above the trainer's budget.
   */
  TrainingSpec prepare(TrainingSpec spec);

  /**
   * Trains, checkpoints and publishes, reporting to {@code listener}. Throws CancellationException once
   * {@code cancelled} turns true (checked before every step), after which nothing is published.
   */
  void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled) throws Exception;
}
