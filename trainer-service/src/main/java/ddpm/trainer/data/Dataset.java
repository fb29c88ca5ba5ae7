package ddpm.trainer.data;

import ddpm.datasets.ImageSet;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;

/**
 * Training images of one shape, already scaled to [−1, 1] (docs/math.md §3), stored flat: image {@code i} is
 * {@code images[i·shape.size() .. (i+1)·shape.size())} in H, W, C order; {@code labels} holds image {@code i}'s
 * class at {@code i} for a class-conditional run and is null otherwise.
 */
public record Dataset(String name, ImageShape shape, float[] images, int[] labels) {

  public Dataset {
    if (images.length == 0 || images.length % shape.size() != 0) {
      throw new IllegalArgumentException(name + ": " + images.length + " values are not a whole number of "
          + shape + " images");
    }
    if (labels != null && labels.length != images.length / shape.size()) {
      throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + images.length / shape.size()
          + " images");
    }
  }

  /** {@code set}'s images in its order, each pixel p as p / 127.5 − 1, with their labels when {@code withLabels}. */
  public static Dataset of(ImageSet set, boolean withLabels) {
    return new Dataset(set.name(), set.shape(), Pixels.toModel(set.pixels()), withLabels ? set.labels() : null);
  }

  public int imageSize() {
    return shape.size();
  }

  public int count() {
    return images.length / shape.size();
  }
}
