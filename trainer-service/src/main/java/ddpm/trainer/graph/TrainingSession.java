package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.training.LossWeighting;
import ddpm.tensorflow.Precision;
import java.io.IOException;
import java.nio.file.Path;

/**
 * ε_θ being trained, as the trainer's loop, checkpoints, previews and publishing use it: one optimizer step at a
 * time, the serving path with the moving-average weights, every variable saved and restored, a start from a
 * published version, and the export. {@link TrainingGraph} is the TensorFlow one.
 */
public interface TrainingSession extends AutoCloseable {
  /**
   * How the weights are updated: on the loss with each timestep weighted by {@code lossWeighting}, gradients clipped
   * to {@code gradClipNorm}, moving average of decay {@code emaDecay}.
   */
  record Optimization(LossWeighting lossWeighting, double gradClipNorm, double emaDecay) {}

  /** Opens a session for a network, its weights drawn from the seed. */
  @FunctionalInterface
  interface Factory {
    /**
     * {@code schedule} must be a full one (not respaced); {@code config} must be resolved for the image
     * ({@link EpsNetConfig#forImage}).
     */
    TrainingSession open(ImageShape imageShape, EpsNetConfig config, NoiseSchedule schedule,
        Optimization optimization, long seed);
  }

  /**
   * One step of 1-based number {@code stepNumber} at learning rate {@code rate}: the optimizer on the batch, then
   * the moving average. {@code x0Batch} and {@code noise} hold {@code timesteps.length} images each, flat in NHWC
   * order; {@code labels} holds each image's label (or the null label) for a class-conditional network and is null
   * for an unconditional one. Returns the batch's loss before the update.
   */
  float trainStep(float[] x0Batch, int[] timesteps, float[] noise, int[] labels, int stepNumber, double rate);

  /**
   * ε_θ(x_t, t) with the moving-average weights and no dropout, for {@code timesteps.length} images; without a
   * class (the null label) for a class-conditional network.
   */
  float[] predict(float[] xtBatch, int[] timesteps);

  /** Writes every variable (weights, moving averages, optimizer state) under this path prefix. */
  void saveVariables(Path prefix);

  /** Loads every variable from what {@link #saveVariables} wrote for the same network. */
  void restoreVariables(Path prefix);

  /**
   * Sets every weight and its moving average to the weights of a model {@link #export} published for the same
   * network; the optimizer's state stays as it is.
   */
  void startFrom(Path savedModel);

  /** Writes what is published: the serving path with the moving-average weights, as a SavedModel into {@code dir}. */
  void export(Path dir) throws IOException;

  ImageShape imageShape();

  /** The arithmetic of the step's and the serving path's convolutions and matrix products, for the model card. */
  Precision precision();

  @Override
  void close();
}
