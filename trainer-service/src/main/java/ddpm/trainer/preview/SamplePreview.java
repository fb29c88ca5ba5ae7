package ddpm.trainer.preview;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.sampling.AncestralSampler;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.images.ImageGrid;
import java.util.function.BooleanSupplier;

/**
 * A grid of {@link #IMAGES} images drawn by ancestral sampling on the schedule respaced to
 * {@link #STEPS} steps (docs/math.md §6), which keeps a preview to 100 network calls however large T is. The
 * same seed at every checkpoint starts from the same x_T, so successive grids show the model changing, not
 * the noise.
 */
public final class SamplePreview {
  public static final int IMAGES = 16;
  public static final int STEPS = 100;

  private SamplePreview() {}

  /** Stops with a CancellationException once {@code cancelled} turns true. */
  public static byte[] png(EpsModel model, NoiseSchedule fullSchedule, ImageShape shape, long seed,
      BooleanSupplier cancelled) {
    NoiseSchedule respaced = fullSchedule.respace(Math.min(STEPS, fullSchedule.timesteps()));
    AncestralSampler sampler = new AncestralSampler(respaced, VarianceKind.FIXED_LARGE, true);
    float[] x0 = sampler.sample(model, shape, IMAGES, seed, (step, total, t) -> { }, cancelled);
    return ImageGrid.png(Pixels.toPixels(x0), IMAGES, shape.height(), shape.width(), shape.channels());
  }
}
