package ddpm.sampler.core;

import ddpm.diffusion.Echo;
import ddpm.diffusion.ImageShape;
import ddpm.repository.EpsContract;
import java.util.Arrays;

/** x_T supplied by the caller: float32 values in row-major order, with the shape the caller gave them. */
public record InitialNoise(long[] shape, float[] values) {
  /**
   * The values, once the shape is [N, H, W, C] for {@code numImages} images of {@code image} and every value is
   * within ±{@link EpsContract#MAX_ABS_X_T}, the x_t a denoiser takes; anything else is refused naming the field
   * "initial_noise", which the caller sent, rather than the x_t of a denoiser call it never saw.
   */
  public float[] valuesFor(int numImages, ImageShape image) {
    long[] expected = {numImages, image.height(), image.width(), image.channels()};
    if (!Arrays.equals(shape, expected)) {
      throw new IllegalArgumentException("initial_noise: shape must be [num_images, H, W, C] = "
          + Arrays.toString(expected) + ", got " + Echo.shape(shape));
    }
    EpsContract.checkXt(values, "initial_noise");
    return values;
  }
}
