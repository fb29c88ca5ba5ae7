package ddpm.sampler.core;

import ddpm.diffusion.ImageShape;
import java.util.Arrays;

/** x_T supplied by the caller: float32 values in row-major order, with the shape the caller gave them. */
public record InitialNoise(long[] shape, float[] values) {
  /**
   * The values, once the shape is [N, H, W, C] for {@code numImages} images of {@code image}; a different shape
   * is refused naming the field "initial_noise".
   */
  public float[] valuesFor(int numImages, ImageShape image) {
    long[] expected = {numImages, image.height(), image.width(), image.channels()};
    if (!Arrays.equals(shape, expected)) {
      throw new IllegalArgumentException("initial_noise: shape must be [num_images, H, W, C] = "
          + Arrays.toString(expected) + ", got " + Arrays.toString(shape));
    }
    return values;
  }
}
