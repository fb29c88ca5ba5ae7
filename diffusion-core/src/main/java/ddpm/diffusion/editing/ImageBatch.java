package ddpm.diffusion.editing;

import ddpm.diffusion.ImageShape;

/** Images a run starts from: one for every image of the batch, or one for all of them. */
final class ImageBatch {
  private ImageBatch() {}

  /** {@code images} as {@code numImages} images of {@code shape}, the one image repeated when only one is given. */
  static float[] perImage(float[] images, ImageShape shape, int numImages, String field) {
    int size = shape.size();
    if (images.length == (long) numImages * size) {
      return images.clone();
    }
    if (images.length != size) {
      throw new IllegalArgumentException(field + " must hold 1 or " + numImages + " images of " + shape + ", got "
          + images.length + " values");
    }
    float[] out = new float[numImages * size];
    for (int i = 0; i < numImages; i++) {
      System.arraycopy(images, 0, out, i * size, size);
    }
    return out;
  }

  /** Refuses a mask with a value other than 0 and 1, naming {@code field}. */
  static void checkMask(float[] mask, String field) {
    for (int j = 0; j < mask.length; j++) {
      if (mask[j] != 0 && mask[j] != 1) {
        throw new IllegalArgumentException(field + " must be 0 or 1 everywhere, got " + mask[j] + " at " + j);
      }
    }
  }
}
