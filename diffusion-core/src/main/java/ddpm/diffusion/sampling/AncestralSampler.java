package ddpm.diffusion.sampling;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Algorithm 2 (docs/math.md §5) over a possibly respaced schedule, x_T drawn from the seed: the shortcut for callers
 * that only ever sample ancestrally, such as the trainer's preview grids. It is {@link SamplingLoop} with
 * {@link SamplerSettings#ancestral}.
 */
public final class AncestralSampler {
  private final SamplingLoop loop;

  /**
   * @param clipX0 use the x0_hat form and clip x0_hat to [−1, 1] at every step; otherwise the paper's direct
   *     form
   */
  public AncestralSampler(NoiseSchedule schedule, VarianceKind variance, boolean clipX0) {
    loop = SamplerSettings.ancestral(variance, clipX0).over(schedule);
  }

  /**
   * Draws {@code numImages} images with noise seeded by {@code seed}. Before every step it checks
   * {@code cancelled} and the thread's interrupt flag, and stops with a {@link CancellationException}.
   *
   * @return x_0, N images row-major NHWC in model scale (about [−1, 1]; see {@link ddpm.diffusion.Pixels})
   */
  public float[] sample(EpsModel model, ImageShape shape, int numImages, long seed, StepListener listener,
      BooleanSupplier cancelled) {
    return loop.sample(model, shape, SampleBatch.of(numImages, seed), listener, cancelled);
  }
}
