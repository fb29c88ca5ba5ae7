package ddpm.diffusion;

/** [H, W, C] of one image; a batch is N of them, row-major NHWC. */
public record ImageShape(int height, int width, int channels) {
  public ImageShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "image_shape must be positive, got [" + height + ", " + width + ", " + channels + "]");
    }
    if ((long) height * width * channels > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "image_shape [" + height + ", " + width + ", " + channels + "] is too large");
    }
  }

  /** Values per image: H · W · C. */
  public int size() {
    return height * width * channels;
  }
}
