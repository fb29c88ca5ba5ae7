package ddpm.diffusion.editing;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * Interpolation through the noisy images (Ho et al. §4.3; docs/math.md §14): two images x_0 and x'_0 are encoded to
 * the start position of a strength with the same ε, mixed as (1 − λ) x_k + λ x'_k, and decoded by the reverse
 * process, one image per λ. Every image draws from the stream of the batch's first image, so the images differ
 * only through λ. By linearity of q the mix is the encoding of (1 − λ) x_0 + λ x'_0 with that ε, which is how it is
 * computed: an {@link ImageToImage} of the mixed images with shared noise.
 */
public final class Interpolation {
  private Interpolation() {}

  /**
   * @param pair two model-scale images of {@code shape}, one after the other (field "interpolation.images")
   * @param lambdas λ of each image of the batch, at least one, each finite (field "interpolation.lambdas")
   * @param strength s in (0, 1] (field "interpolation.strength")
   */
  public static ImageToImage between(NoiseSchedule schedule, ImageShape shape, float[] pair, double[] lambdas,
      double strength) {
    int size = shape.size();
    if (pair.length != 2L * size) {
      throw new IllegalArgumentException("interpolation.images must hold 2 images of " + shape + ", got "
          + pair.length + " values");
    }
    if (lambdas.length == 0) {
      throw new IllegalArgumentException("interpolation.lambdas must hold at least one λ");
    }
    float[] mixed = new float[lambdas.length * size];
    for (int i = 0; i < lambdas.length; i++) {
      double lambda = lambdas[i];
      if (!Double.isFinite(lambda)) {
        throw new IllegalArgumentException("interpolation.lambdas must be finite, got " + lambda + " at " + i);
      }
      for (int j = 0; j < size; j++) {
        mixed[i * size + j] = (float) ((1 - lambda) * pair[j] + lambda * pair[size + j]);
      }
    }
    return new ImageToImage(schedule, mixed, StartPosition.nearest(schedule, strength, "interpolation.strength"),
        true);
  }
}
