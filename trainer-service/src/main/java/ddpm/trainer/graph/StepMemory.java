package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;

/**
 * What a training step of a network holds in memory, estimated from the sizes it grows with: the network's
 * parameters (each with its moving average, Adam's two moments, its gradient and its initial value), and per
 * image the activations of its residual blocks (kept from the forward pass for the backward one, with their
 * GroupNorm, SiLU and dropout intermediates and their gradients) and the scores of its attention layers
 * (pixels² per layer). Activations dominate: a step's memory, like its time, grows with the batch.
 *
 * <p>Calibrated against the peak RSS (VmHWM in /proc/self/status) that a TrainingGraph's first two steps add to
 * a process in which TensorFlow is already loaded, with its session threads, on a 2-core x86 machine with
 * oneDNN (TensorFlow Java 1.0.0-rc.1). Measured → estimated, in MiB:
 *
 * <pre>
 * unet C=32  [1,2,2] attention [7], 28×28×1, batch 1/16/64/256   227/368/807/2577  →  314/462/937/2838
 * unet C=64  [1,2,2] attention [7], 28×28×1, batch 32/128        945/2707          → 1077/2970
 * unet C=16  [1,2,2] attention [7], 28×28×1, batch 64            475               →  588
 * unet C=32  [1,2,2] 2 blocks, 28×28×1, batch 32                 791               →  846
 * unet C=32  [1,2,2] attention [14]/[28], 28×28×1, batch 32/16   547/648           →  653/740
 * unet C=32  [1,2] attention [28, 14], 28×28×1, batch 32        1052               → 1236
 * unet C=32  [1] attention [28], 28×28×1, batch 16               444               →  791
 * unet C=32  [1,2,2] / [1,2,2,2], 32×32×3, batch 32              582/628           →  719/722
 * unet C=32/128/256 [1,2,2], 8×8×1, batch 256/64/16              403/1092/3220     →  509/1224/3410
 * unet C=256 [1,2,2], 8×8×1, batch 64                           3362               → 3717
 * conv C=32/64, 28×28×1, batch 128/32                            302/139           →  749/511
 * </pre>
 *
 * The estimate is above every measurement: by 6–26 % for the U-Net at the default attention, up to 1.8× with
 * attention at full resolution, and 2.5–3.7× for the small conv network, whose blocks hold fewer intermediates
 * than the U-Net's the coefficients were fitted to. It does not include the idle process (the JVM and
 * TensorFlow's runtime, about 350 MiB of RSS before the first job) or the training images, which live in the
 * Java heap. TensorFlow's oneDNN allocator keeps what a job used as a pool for the next job instead of returning
 * it to the system, so after a job the process stays near its peak; the next job reuses that pool.
 */
public record StepMemory(long parameters, long activationsPerImage, double attentionScoresPerImage) {
  /** The session, its graph and the first step's graph optimisation, whatever the network. */
  static final double FIXED_BYTES = 256.0 * (1 << 20);
  static final double BYTES_PER_PARAMETER = 45;
  static final double BYTES_PER_ACTIVATION = 80;
  static final double BYTES_PER_ATTENTION_SCORE = 10;
  /**
   * Parameters per weight counted by {@link Tally} (18c² per residual block, 3c² per attention layer): the up
   * path's wider inputs, the skip and time projections, norms, biases, resampling and the timestep embedding
   * (measured 1.5–1.8 over the configurations above).
   */
  static final double PARAMETERS_PER_COUNTED_WEIGHT = 1.6;

  /** The estimate for {@code config}, resolved for the image ({@link EpsNetConfig#forImage}). */
  public static StepMemory of(EpsNetConfig config, ImageShape shape) {
    return config.architecture().stepMemory(config, shape);
  }

  /** Bytes of a step of {@code batchSize} images. */
  public double bytes(int batchSize) {
    return fixedBytes() + batchSize * bytesPerImage();
  }

  /** Bytes whatever the batch: the session and the parameters. */
  public double fixedBytes() {
    return FIXED_BYTES + BYTES_PER_PARAMETER * parameters;
  }

  /** Bytes each image of the batch adds. */
  public double bytesPerImage() {
    return BYTES_PER_ACTIVATION * activationsPerImage + BYTES_PER_ATTENTION_SCORE * attentionScoresPerImage;
  }

  /** Adds up a network's residual blocks and attention layers, each at its channels and pixels. */
  static final class Tally {
    private long weights;
    private long activations;
    private double scores;

    Tally residualBlocks(int count, long channels, long pixels) {
      weights += count * 18 * channels * channels;
      activations += count * pixels * channels;
      return this;
    }

    Tally attention(int count, long channels, long pixels) {
      weights += count * 3 * channels * channels;
      scores += (double) count * pixels * pixels;
      return this;
    }

    StepMemory total() {
      return new StepMemory(Math.round(PARAMETERS_PER_COUNTED_WEIGHT * weights), activations, scores);
    }
  }
}
