package ddpm.images;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** One PNG read as pixel values, for a caller that knows the shape it needs. */
public final class PngImage {
  private PngImage() {}

  /** An image's values in H, W, C order, with its shape. */
  public record Decoded(byte[] pixels, int height, int width, int channels) {}

  /**
   * The image's values: an 8-bit PNG with c channels (greyscale for c = 1, RGB for 3, RGBA for 4; no palette).
   * Anything else is an IllegalArgumentException naming {@code field}.
   */
  public static Decoded decode(byte[] png, String field) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new IllegalArgumentException(field + " is not a readable PNG: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IllegalArgumentException(field + " is not a PNG");
    }
    Raster raster = image.getRaster();
    if (raster.getSampleModel().getSampleSize(0) != 8 || image.getColorModel() instanceof IndexColorModel) {
      throw new IllegalArgumentException(field + " must be an 8-bit PNG without a palette (greyscale, RGB or RGBA)");
    }
    int h = image.getHeight();
    int w = image.getWidth();
    int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
    byte[] out = new byte[samples.length];
    for (int j = 0; j < samples.length; j++) {
      out[j] = (byte) samples[j];
    }
    return new Decoded(out, h, w, raster.getNumBands());
  }

  /** The values of a PNG that must be h × w with c channels, as {@link #decode} reads them. */
  public static byte[] pixels(byte[] png, int h, int w, int c, String field) {
    Decoded image = decode(png, field);
    if (image.height() != h || image.width() != w || image.channels() != c) {
      throw new IllegalArgumentException(field + " must be an 8-bit PNG of " + h + " × " + w + " with " + c
          + " channel(s), got " + image.height() + " × " + image.width() + " with " + image.channels());
    }
    return image.pixels();
  }

  /** {@code pixels} (uint8, H, W, C order) as a PNG of h × w, pixel for pixel: what {@link #pixels} reads back. */
  public static byte[] png(byte[] pixels, int h, int w, int c) {
    if ((long) h * w * c != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " bytes are not an image of " + h + "×" + w + "×" + c);
    }
    BufferedImage image = new BufferedImage(w, h, ImageGrid.imageType(c));
    int[] samples = new int[pixels.length];
    for (int j = 0; j < samples.length; j++) {
      samples[j] = pixels[j] & 0xFF;
    }
    image.getRaster().setPixels(0, 0, w, h, samples);
    return Png.encode(image);
  }
}
