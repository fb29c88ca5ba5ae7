package ddpm.trainer.core;

import java.nio.file.Path;

/** What a training run reports as it goes; called on the training thread. */
public interface TrainingListener {
  /** A resumed run starts after {@code step}, whose loss the checkpoint kept; a fresh run does not call this. */
  void onResume(int step, double loss);

  void onStep(StepReport step);

  void onCheckpoint(CheckpointReport checkpoint);

  /** {@code path}: the published version's folder relative to the model repository, {@code mnist/5}. */
  void onExport(String model, long version, Path path);
}
