package ddpm.diffusion.editing;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.SamplingPath;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * SDEdit (Meng et al. 2022; docs/math.md §14): start at the {@link StartPosition} of strength s from
 * x_k = sqrt(abar[k]) x_0 + sqrt(1 − abar[k]) ε, ε being the image's x_T (its first draw, or the batch's own),
 * then the run's sampler down to x_0. A strength whose start is position −1 returns the images unchanged without
 * an ε_θ call; s = 1 starts at position K−1 from x_T + sqrt(abar[K−1]) x_0, plain generation's start but for
 * that term.
 */
public final class ImageToImage implements SamplingPath {
  private final NoiseSchedule schedule;
  private final float[] images;
  private final int start;
  private final boolean sharesNoise;

  /**
   * @param images model-scale values of one image for all, or of {@code numImages} images, of {@code shape}
   *     (field "image_to_image.init_images")
   * @param strength s in (0, 1] (field "image_to_image.strength")
   */
  public ImageToImage(NoiseSchedule schedule, ImageShape shape, int numImages, float[] images, double strength) {
    this(schedule, ImageBatch.perImage(images, shape, numImages, "image_to_image.init_images"),
        StartPosition.nearest(schedule, strength, "image_to_image.strength"), false);
  }

  ImageToImage(NoiseSchedule schedule, float[] images, int start, boolean sharesNoise) {
    this.schedule = schedule;
    this.images = images;
    this.start = start;
    this.sharesNoise = sharesNoise;
  }

  /** The position the run starts at; −1 when it returns the images as they are. */
  public int start() {
    return start;
  }

  @Override
  public int[] positions(int steps) {
    int[] positions = new int[start + 2];
    for (int j = 0; j < positions.length; j++) {
      positions[j] = start - j;
    }
    return positions;
  }

  @Override
  public float[] start(float[] xT, int position) {
    if (xT.length != images.length) {
      throw new IllegalArgumentException("the batch has " + xT.length + " values, its images " + images.length);
    }
    return ForwardProcess.noised(schedule, images, xT, position);
  }

  @Override
  public boolean sharesNoise() {
    return sharesNoise;
  }
}
