package ddpm.trainer.core;

import java.util.function.BooleanSupplier;

/** Runs one training job to its end; the job manager calls it on its single training thread. */
public interface Trainer {
  /** Throws IllegalStateException when the job is valid but cannot run here (say, MNIST not downloaded). */
  void checkReady(TrainingSpec spec);

  /**
   * Trains, checkpoints and publishes, reporting to {@code listener}. Throws CancellationException once
   * {@code cancelled} turns true (checked before every step), after which nothing is published.
   */
  void train(String jobId, TrainingSpec spec, TrainingListener listener, BooleanSupplier cancelled) throws Exception;
}
