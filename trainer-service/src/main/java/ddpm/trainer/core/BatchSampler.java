package ddpm.trainer.core;

import ddpm.diffusion.StreamSeed;
import ddpm.trainer.data.Dataset;
import java.util.SplittableRandom;

/**
 * Draws Algorithm 1's inputs for any step directly from (seed, step): the data in an order reshuffled
 * every epoch, t uniform in [0, T−1] per example, and ε ~ N(0, I). Nothing carries over from one step to
 * the next, so a run resumed at step k draws exactly what an uninterrupted run draws there; only the seed
 * and the step need to be in a checkpoint. Each kind of draw has its own stream.
 *
 * <p>Example j of step s (1-based) is the global draw g = (s − 1)·B + j: epoch g / count, position
 * g mod count of that epoch's permutation. A class-conditional sampler also gives each example's label, replaced
 * by the null label with probability {@code labelDropout} (classifier-free guidance's training, Ho &amp; Salimans
 * 2022), from a stream of its own.
 */
public final class BatchSampler {
  private final Dataset data;
  private final int timesteps;
  private final long orderSeed;
  private final long stepSeed;
  private final int[] permutation;
  /** Whether batches carry labels: a class-conditional sampler's. */
  private final boolean labelled;
  private final int nullLabel;
  private final double labelDropout;
  private long permutedEpoch = -1;

  /** Unconditional: batches without labels, whether or not {@code data} has them. */
  public BatchSampler(Dataset data, int timesteps, long seed) {
    this(data, timesteps, seed, false, 0, 0);
  }

  private BatchSampler(Dataset data, int timesteps, long seed, boolean labelled, int nullLabel,
      double labelDropout) {
    this.data = data;
    this.timesteps = timesteps;
    this.orderSeed = StreamSeed.of(seed, 1);
    this.stepSeed = StreamSeed.of(seed, 2);
    this.permutation = new int[data.count()];
    this.labelled = labelled;
    this.nullLabel = nullLabel;
    this.labelDropout = labelDropout;
  }

  /** Batches with each example's label from {@code data}, or {@code nullLabel} with probability {@code labelDropout}. */
  public static BatchSampler classConditional(Dataset data, int timesteps, long seed, int nullLabel,
      double labelDropout) {
    if (data.labels() == null) {
      throw new IllegalArgumentException(data.name() + " has no labels");
    }
    return new BatchSampler(data, timesteps, seed, true, nullLabel, labelDropout);
  }

  /** One batch of Algorithm 1's draws, images flat in NHWC order; {@code y} null for an unconditional sampler. */
  public record Batch(float[] x0, int[] t, float[] eps, int[] y) {
    public int size() {
      return t.length;
    }
  }

  /** The draws of 1-based step {@code step} with {@code size} examples per step. */
  public Batch batch(int step, int size) {
    int pixels = data.imageSize();
    float[] x0 = new float[size * pixels];
    int[] t = new int[size];
    float[] eps = new float[size * pixels];
    int[] y = labelled ? new int[size] : null;
    long first = (long) (step - 1) * size;
    for (int i = 0; i < size; i++) {
      long g = first + i;
      int position = (int) (g % permutation.length);
      int example = permutationOf(g / permutation.length)[position];
      System.arraycopy(data.images(), example * pixels, x0, i * pixels, pixels);
      if (y != null) {
        y[i] = data.labels()[example];
      }
    }
    SplittableRandom draws = new SplittableRandom(StreamSeed.of(stepSeed, step));
    SplittableRandom timestepDraws = draws.split();
    SplittableRandom noiseDraws = draws.split();
    SplittableRandom labelDraws = draws.split();
    for (int i = 0; i < size; i++) {
      t[i] = timestepDraws.nextInt(timesteps);
    }
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) noiseDraws.nextGaussian();
    }
    if (y != null) {
      for (int i = 0; i < size; i++) {
        if (labelDraws.nextDouble() < labelDropout) {
          y[i] = nullLabel;
        }
      }
    }
    return new Batch(x0, t, eps, y);
  }

  /** Epoch {@code epoch}'s order, a Fisher–Yates shuffle of 0..count−1 seeded by the epoch; kept for the current epoch. */
  private int[] permutationOf(long epoch) {
    if (epoch != permutedEpoch) {
      SplittableRandom order = new SplittableRandom(StreamSeed.of(orderSeed, epoch));
      for (int i = 0; i < permutation.length; i++) {
        permutation[i] = i;
      }
      for (int i = permutation.length - 1; i > 0; i--) {
        int j = order.nextInt(i + 1);
        int swap = permutation[i];
        permutation[i] = permutation[j];
        permutation[j] = swap;
      }
      permutedEpoch = epoch;
    }
    return permutation;
  }
}
