package ddpm.sampler.core;

import ddpm.diffusion.Echo;
import ddpm.diffusion.ImageShape;
import ddpm.images.PngImage;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Images a request brings (an edit's init images, images or mask): a uint8 tensor [N, H, W, C] or one PNG per image,
 * exactly one of the two, checked against the model's image shape once it is known. {@code field} names them in
 * errors ("image_to_image.init_images", say).
 */
public record InputImages(long[] shape, byte[] tensor, List<byte[]> pngs, String field) {
  public InputImages {
    if ((tensor == null) == pngs.isEmpty()) {
      throw new IllegalArgumentException(field + " must hold either a tensor or PNGs, "
          + (tensor == null ? "got neither" : "not both"));
    }
  }

  /** The pixel values of every image, uint8 in [N, H, W, C] order. */
  public byte[] pixels(ImageShape image) {
    if (tensor != null) {
      boolean shaped = shape.length == 4 && shape[0] >= 1 && shape[1] == image.height()
          && shape[2] == image.width() && shape[3] == image.channels();
      if (!shaped) {
        throw new IllegalArgumentException(field + ": shape must be [N, " + image.height() + ", " + image.width()
            + ", " + image.channels() + "], got " + Echo.shape(shape));
      }
      return tensor;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < pngs.size(); i++) {
      out.writeBytes(PngImage.pixels(pngs.get(i), image.height(), image.width(), image.channels(),
          field + ".png[" + i + "]"));
    }
    return out.toByteArray();
  }

  /**
   * The images as a mask of 0 and 1: a tensor holds 0 and 1 itself, a PNG 0 and 255 (black and white); any other
   * value of a PNG is refused here, of a tensor by the inpainting, both naming the field.
   */
  public float[] mask(ImageShape image) {
    byte[] pixels = pixels(image);
    float[] mask = new float[pixels.length];
    for (int j = 0; j < pixels.length; j++) {
      int value = pixels[j] & 0xFF;
      if (tensor == null && value != 0 && value != 255) {
        throw new IllegalArgumentException(field + ": a PNG mask must be 0 or 255 everywhere, got " + value
            + " at value " + j);
      }
      mask[j] = tensor == null ? value / 255 : value;
    }
    return mask;
  }
}
