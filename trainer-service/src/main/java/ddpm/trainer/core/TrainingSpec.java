package ddpm.trainer.core;

import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.ModelRepository;
import ddpm.trainer.data.Datasets;
import ddpm.trainer.graph.EpsNetConfig;

/**
 * A validated training request. Every check throws IllegalArgumentException naming the request field;
 * {@code timesteps} 0 means {@link #DEFAULT_TIMESTEPS} (the network's zero values are handled by
 * {@link EpsNetConfig}).
 */
public record TrainingSpec(
    String dataset,
    String modelName,
    EpsNetConfig network,
    int steps,
    int batchSize,
    double learningRate,
    long seed,
    ScheduleKind schedule,
    int timesteps,
    int checkpointEvery) {

  public static final int DEFAULT_TIMESTEPS = 1000;
  public static final int MAX_TIMESTEPS = 100_000;
  public static final int MAX_STEPS = 10_000_000;
  public static final int MAX_BATCH_SIZE = 4096;

  public TrainingSpec {
    Datasets.checkName(dataset);
    ModelRepository.checkName(modelName, "model_name");
    if (network == null) {
      network = EpsNetConfig.defaults();
    }
    checkRange("steps", steps, 1, MAX_STEPS);
    checkRange("batch_size", batchSize, 1, MAX_BATCH_SIZE);
    if (!(learningRate > 0 && learningRate <= 1)) {
      throw new IllegalArgumentException("learning_rate: must be in (0, 1], got " + learningRate);
    }
    if (schedule == null) {
      throw new IllegalArgumentException("schedule must be given");
    }
    if (timesteps == 0) {
      timesteps = DEFAULT_TIMESTEPS;
    }
    checkRange("timesteps", timesteps, 1, MAX_TIMESTEPS);
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpoint_every: must be ≥ 0 (0: only at the end), got " + checkpointEvery);
    }
  }

  private static void checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": must be " + min + ".." + max + ", got " + value);
    }
  }
}
