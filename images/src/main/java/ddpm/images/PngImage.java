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

  /**
   * The image's values in H, W, C order: an 8-bit PNG of exactly h × w with c channels (greyscale for c = 1, RGB
   * for 3, RGBA for 4; no palette). Anything else is an IllegalArgumentException naming {@code field}.
   */
  public static byte[] pixels(byte[] png, int h, int w, int c, String field) {
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
    int bands = raster.getNumBands();
    boolean eightBit = raster.getSampleModel().getSampleSize(0) == 8;
    if (image.getHeight() != h || image.getWidth() != w || bands != c || !eightBit
        || image.getColorModel() instanceof IndexColorModel) {
      throw new IllegalArgumentException(field + " must be an 8-bit PNG of " + h + " × " + w + " with " + c
          + " channel(s) and no palette, got " + image.getHeight() + " × " + image.getWidth() + " with " + bands
          + (eightBit ? "" : " non-8-bit") + " band(s)"
          + (image.getColorModel() instanceof IndexColorModel ? " (a palette)" : ""));
    }
    int[] samples = raster.getPixels(0, 0, w, h, (int[]) null);
    byte[] out = new byte[samples.length];
    for (int j = 0; j < samples.length; j++) {
      out[j] = (byte) samples[j];
    }
    return out;
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
