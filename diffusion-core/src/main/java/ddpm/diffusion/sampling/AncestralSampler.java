package ddpm.diffusion.sampling;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The loop of Algorithm 2 (spec §5) over a possibly respaced schedule: x_T from {@link NoiseStreams}, then one
 * {@link EpsModel} call per step for the whole batch, with the original network timestep of each position.
 */
public final class AncestralSampler {
  private final NoiseSchedule schedule;
  private final AncestralStep step;
  private final boolean clipX0;

  /**
   * @param clipX0 use the x0_hat form and clip x0_hat to [−1, 1] at every step; otherwise the paper's direct
   *     form
   */
  public AncestralSampler(NoiseSchedule schedule, VarianceKind variance, boolean clipX0) {
    this.schedule = schedule;
    this.step = new AncestralStep(schedule, variance);
    this.clipX0 = clipX0;
  }

  /**
   * Draws {@code numImages} images with noise seeded by {@code seed}. Before every step it checks
   * {@code cancelled} and the thread's interrupt flag, and stops with a {@link CancellationException}.
   *
   * @return x_0, N images row-major NHWC in model scale (about [−1, 1]; see {@link ddpm.diffusion.Pixels})
   */
  public float[] sample(EpsModel model, ImageShape shape, int numImages, long seed, StepListener listener,
      BooleanSupplier cancelled) {
    NoiseStreams noise = new NoiseStreams(seed, numImages, shape.size());
    int[] timestepIndices = schedule.timestepIndices();
    int steps = timestepIndices.length;
    float[] x = toFloats(noise.next());
    int[] t = new int[numImages];
    for (int k = steps - 1; k >= 0; k--) {
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("sampling cancelled before step " + (steps - k) + " of " + steps);
      }
      Arrays.fill(t, timestepIndices[k]);
      float[] eps = model.predict(x, t.clone());
      if (eps.length != x.length) {
        throw new IllegalStateException(
            "the denoiser returned " + eps.length + " values for " + x.length + " inputs");
      }
      double[] z = k > 0 ? noise.next() : null;
      x = clipX0 ? step.viaX0(x, eps, k, z, true) : step.direct(x, eps, k, z);
      listener.onStep(steps - k, steps, timestepIndices[k]);
    }
    return x;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int j = 0; j < values.length; j++) {
      out[j] = (float) values[j];
    }
    return out;
  }
}
