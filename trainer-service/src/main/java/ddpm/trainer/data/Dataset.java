package ddpm.trainer.data;

import ddpm.datasets.ImageSet;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;

/**
 * Training images of one shape, already scaled to [−1, 1] (docs/math.md §3), stored flat: image {@code i} is
 * {@code images[i·shape.size() .. (i+1)·shape.size())} in H, W, C order.
 */
public record Dataset(String name, ImageShape shape, float[] images) {

  public Dataset {
    if (images.length == 0 || images.length % shape.size() != 0) {
      throw new IllegalArgumentException(name + ": " + images.length + " values are not a whole number of "
          + shape + " images");
    }
  }

  /** {@code set}'s images in its order, each pixel p as p / 127.5 − 1. */
  public static Dataset of(ImageSet set) {
    return new Dataset(set.name(), set.shape(), Pixels.toModel(set.pixels()));
  }

  public int imageSize() {
    return shape.size();
  }

  public int count() {
    return images.length / shape.size();
  }
}
