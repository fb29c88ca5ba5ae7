package ddpm.trainer.core;

import ddpm.trainer.data.Dataset;
import java.util.SplittableRandom;

/**
 * Draws Algorithm 1's inputs from one seed: x0 in a shuffled order that is reshuffled every epoch, t
 * uniform in [0, T−1] per example, and ε ~ N(0, I). Each kind of draw has its own stream, so changing
 * one (say the batch size) does not reorder the others' first values.
 */
public final class BatchSampler {
  private final Dataset data;
  private final int timesteps;
  private final SplittableRandom order;
  private final SplittableRandom steps;
  private final SplittableRandom noise;
  private final int[] permutation;
  private int position;

  public BatchSampler(Dataset data, int timesteps, long seed) {
    this.data = data;
    this.timesteps = timesteps;
    SplittableRandom root = new SplittableRandom(seed);
    this.order = root.split();
    this.steps = root.split();
    this.noise = root.split();
    this.permutation = new int[data.count()];
    for (int i = 0; i < permutation.length; i++) {
      permutation[i] = i;
    }
    shuffle();
  }

  /** One batch of Algorithm 1's draws, images flat in NHWC order. */
  public record Batch(float[] x0, int[] t, float[] eps) {
    public int size() {
      return t.length;
    }
  }

  public Batch next(int size) {
    int pixels = data.imageSize();
    float[] x0 = new float[size * pixels];
    int[] t = new int[size];
    float[] eps = new float[size * pixels];
    for (int i = 0; i < size; i++) {
      if (position == permutation.length) {
        shuffle();
      }
      System.arraycopy(data.images(), permutation[position++] * pixels, x0, i * pixels, pixels);
      t[i] = steps.nextInt(timesteps);
    }
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) noise.nextGaussian();
    }
    return new Batch(x0, t, eps);
  }

  private void shuffle() {
    for (int i = permutation.length - 1; i > 0; i--) {
      int j = order.nextInt(i + 1);
      int swap = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = swap;
    }
    position = 0;
  }
}
