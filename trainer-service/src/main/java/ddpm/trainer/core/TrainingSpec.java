package ddpm.trainer.core;

import ddpm.datasets.Datasets;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.repository.ModelRepository;
import ddpm.trainer.graph.EpsNetConfig;

/**
 * A validated training request, its components named as StartTrainingRequest's fields ({@link SpecJson} maps
 * one to the other by those names). Every check throws IllegalArgumentException naming the request field.
 * Zero values mean the defaults: {@code timesteps} {@link #DEFAULT_TIMESTEPS}, {@code emaDecay}
 * {@link #DEFAULT_EMA_DECAY}, {@code gradClipNorm} {@link #DEFAULT_GRAD_CLIP_NORM}, {@code warmupSteps} none
 * (the network's zero values are handled by {@link EpsNetConfig}). An empty {@code initFromModel} means random
 * initial weights; {@code initFromVersion} 0 means that model's highest version, which {@link Trainer#prepare}
 * resolves. {@code classCond} trains a class-conditional network, whose labels are replaced by the null label
 * with probability {@code labelDropout} (null without classCond; null with it means
 * {@link #DEFAULT_LABEL_DROPOUT}); {@link Trainer#prepare} gives the network the data set's classes.
 * {@code p2Gamma} 0 trains on L_simple; above 0 it weights each timestep's loss by P2 ({@link LossWeighting}),
 * whose k {@code p2K} is null for {@link LossWeighting#DEFAULT_K} and must be null at p2Gamma 0.
 */
public record TrainingSpec(
    String dataset,
    String modelName,
    EpsNetConfig network,
    int steps,
    int batchSize,
    double learningRate,
    @RecordJson.Unsigned long seed,
    ScheduleKind schedule,
    int timesteps,
    int checkpointEvery,
    double emaDecay,
    int warmupSteps,
    double gradClipNorm,
    boolean resume,
    String initFromModel,
    long initFromVersion,
    boolean classCond,
    Double labelDropout,
    double p2Gamma,
    Double p2K) {

  public static final int DEFAULT_TIMESTEPS = 1000;
  public static final int MAX_TIMESTEPS = 100_000;
  public static final int MAX_STEPS = 10_000_000;
  public static final int MAX_BATCH_SIZE = 4096;
  public static final double DEFAULT_EMA_DECAY = 0.999;
  public static final double DEFAULT_GRAD_CLIP_NORM = 1.0;
  /** Ho &amp; Salimans 2022 found 0.1 and 0.2 about equally good. */
  public static final double DEFAULT_LABEL_DROPOUT = 0.1;

  /** An unconditional run. */
  public TrainingSpec(String dataset, String modelName, EpsNetConfig network, int steps, int batchSize,
      double learningRate, long seed, ScheduleKind schedule, int timesteps, int checkpointEvery, double emaDecay,
      int warmupSteps, double gradClipNorm, boolean resume, String initFromModel, long initFromVersion) {
    this(dataset, modelName, network, steps, batchSize, learningRate, seed, schedule, timesteps, checkpointEvery,
        emaDecay, warmupSteps, gradClipNorm, resume, initFromModel, initFromVersion, false, null, 0, null);
  }

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
    if (emaDecay == 0) {
      emaDecay = DEFAULT_EMA_DECAY;
    }
    if (!(emaDecay > 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("ema_decay: must be in (0, 1) (0 for " + DEFAULT_EMA_DECAY + "), got " + emaDecay);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmup_steps: must be ≥ 0 (0: no warm-up), got " + warmupSteps);
    }
    if (gradClipNorm == 0) {
      gradClipNorm = DEFAULT_GRAD_CLIP_NORM;
    }
    if (!(gradClipNorm > 0 && gradClipNorm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "grad_clip_norm: must be > 0 and finite (0 for " + DEFAULT_GRAD_CLIP_NORM + "), got " + gradClipNorm);
    }
    if (initFromModel == null) {
      initFromModel = "";
    }
    if (!initFromModel.isEmpty()) {
      ModelRepository.checkName(initFromModel, "init_from_model");
    }
    if (initFromVersion < 0 || (initFromModel.isEmpty() && initFromVersion != 0)) {
      throw new IllegalArgumentException("init_from_version: must be ≥ 0 (0 means the highest), and 0 without"
          + " init_from_model, got " + initFromVersion);
    }
    if (!classCond) {
      if (labelDropout != null) {
        throw new IllegalArgumentException("label_dropout: only a class-conditional run (class_cond) drops labels,"
            + " got " + labelDropout);
      }
      if (network.classConditional()) {
        throw new IllegalArgumentException("network.num_classes: only a class-conditional run (class_cond) has"
            + " classes, got " + network.numClasses());
      }
    } else {
      if (labelDropout == null) {
        labelDropout = DEFAULT_LABEL_DROPOUT;
      }
      if (!(labelDropout >= 0 && labelDropout < 1)) {
        throw new IllegalArgumentException("label_dropout: must be in [0, 1), got " + labelDropout);
      }
    }
    if (p2Gamma == 0 && p2K != null) {
      throw new IllegalArgumentException("p2_k: only P2 weighting (p2_gamma > 0) has a k, got " + p2K);
    }
    lossWeighting(p2Gamma, p2K);
  }

  /** The loss's weights over timesteps: L_simple unless p2_gamma is set. */
  public LossWeighting lossWeighting() {
    return lossWeighting(p2Gamma, p2K);
  }

  private static LossWeighting lossWeighting(double p2Gamma, Double p2K) {
    return new LossWeighting(p2Gamma, p2K == null ? LossWeighting.DEFAULT_K : p2K);
  }

  /** Whether the weights start from a published version rather than at random. */
  public boolean startsFromPublished() {
    return !initFromModel.isEmpty();
  }

  /** The same request with another network, e.g. one resolved for the data set's images. */
  public TrainingSpec withNetwork(EpsNetConfig resolved) {
    return new TrainingSpec(dataset, modelName, resolved, steps, batchSize, learningRate, seed, schedule, timesteps,
        checkpointEvery, emaDecay, warmupSteps, gradClipNorm, resume, initFromModel, initFromVersion, classCond,
        labelDropout, p2Gamma, p2K);
  }

  /** The same request starting from another version of its init_from_model, e.g. the resolved highest. */
  public TrainingSpec withInitFromVersion(long version) {
    return new TrainingSpec(dataset, modelName, network, steps, batchSize, learningRate, seed, schedule, timesteps,
        checkpointEvery, emaDecay, warmupSteps, gradClipNorm, resume, initFromModel, version, classCond, labelDropout,
        p2Gamma, p2K);
  }

  /** The learning rate of 1-based step {@code step}: linear warm-up, lr·min(1, step/warmup_steps). */
  public double learningRateAt(int step) {
    return warmupSteps == 0 ? learningRate : learningRate * Math.min(1.0, (double) step / warmupSteps);
  }

  private static void checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + ": must be " + min + ".." + max + ", got " + value);
    }
  }
}
