package ddpm.datasets;

import ddpm.diffusion.ImageShape;

/**
 * The images of one split as 8-bit samples 0..255 (read them with {@code b & 0xFF}), stored flat: image {@code i}
 * is {@code pixels[i·shape.size() .. (i+1)·shape.size())} in H, W, C order, in the data set's own order; with the
 * class of each image when the data set has labels.
 */
public record ImageSet(String name, ImageShape shape, byte[] pixels, int[] labels) {

  /** {@code labels} is null when the data set has none. */
  public ImageSet {
    if (pixels.length == 0 || pixels.length % shape.size() != 0) {
      throw new IllegalArgumentException(name + ": " + pixels.length + " values are not a whole number of "
          + shape + " images");
    }
    if (labels != null && labels.length != pixels.length / shape.size()) {
      throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + pixels.length / shape.size()
          + " images");
    }
  }

  public int count() {
    return pixels.length / shape.size();
  }

  public boolean hasLabels() {
    return labels != null;
  }

  /** The class of each image, 0-based indices into the data set's class names. */
  public int[] labels() {
    if (labels == null) {
      throw new IllegalStateException("dataset: " + name + " has no labels");
    }
    return labels;
  }
}
