package ddpm.trainer.core;

import java.nio.file.Path;

/** What a training run reports as it goes; called on the training thread. */
public interface TrainingListener {
  void onStep(StepReport step);

  void onCheckpoint(CheckpointReport checkpoint);

  void onExport(String model, long version, Path path);
}
