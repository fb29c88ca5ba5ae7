package ddpm.trainer.core;

import java.nio.file.Path;

/** What a training run reports as it goes; called on the training thread. */
public interface TrainingListener {
  /** After each optimizer step; {@code imagesPerSecond} is the throughput since the run started. */
  void onStep(int step, int totalSteps, double loss, double imagesPerSecond);

  void onCheckpoint(int step, Path path);

  void onExport(String model, long version, Path path);
}
