package ddpm.diffusion.editing;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.NoiseStreams;
import ddpm.diffusion.sampling.SamplingPath;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * RePaint (Lugmayr et al. 2022; docs/math.md §14): plain generation from x_T, but after every reverse step to
 * position k the kept pixels (mask 1) are replaced by a fresh draw of q(x_k | x_0), and after the last by x_0
 * itself, so they come back exactly. With resampling the run follows {@link Resampling}'s positions and goes up by
 * q(x_{k+1} | x_k). Every sampler takes it; a multistep one (DPM-Solver++(2M)) restarts at first order after a jump
 * up, as it does whenever positions are not consecutive.
 */
public final class Inpainting implements SamplingPath {
  private final NoiseSchedule schedule;
  private final float[] images;
  private final float[] mask;
  private final int jumpLength;
  private final int jumpNSample;

  /**
   * @param images model-scale values of one image for all, or of {@code numImages} images, of {@code shape}
   *     (field "inpainting.init_images")
   * @param mask 1 where a pixel value is kept, 0 where it is drawn, laid out like {@code images}, one for all or one
   *     per image (field "inpainting.mask")
   * @param jumpLength J (field "inpainting.jump_length"); see {@link Resampling}
   * @param jumpNSample r (field "inpainting.jump_n_sample"); 0 or 1 for no resampling
   */
  public Inpainting(NoiseSchedule schedule, ImageShape shape, int numImages, float[] images, float[] mask,
      int jumpLength, int jumpNSample) {
    Resampling.check(schedule.steps(), jumpLength, jumpNSample);
    ImageBatch.checkMask(mask, "inpainting.mask");
    this.schedule = schedule;
    this.images = ImageBatch.perImage(images, shape, numImages, "inpainting.init_images");
    this.mask = ImageBatch.perImage(mask, shape, numImages, "inpainting.mask");
    this.jumpLength = jumpLength;
    this.jumpNSample = jumpNSample;
  }

  @Override
  public int[] positions(int steps) {
    return Resampling.positions(steps, jumpLength, jumpNSample);
  }

  /** Draws q(x_k | x_0) from {@code noise} after the step's own z, except at x_0, where nothing is drawn. */
  @Override
  public float[] afterStep(float[] x, int position, NoiseStreams noise) {
    float[] eps = position < 0 ? null : ForwardProcess.toFloats(noise.next());
    float[] known = ForwardProcess.noised(schedule, images, eps, position);
    float[] out = x.clone();
    for (int j = 0; j < out.length; j++) {
      if (mask[j] == 1) {
        out[j] = known[j];
      }
    }
    return out;
  }

  @Override
  public float[] up(float[] x, int position, NoiseStreams noise) {
    return ForwardProcess.up(schedule, x, position, noise.next());
  }
}
