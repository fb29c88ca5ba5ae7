package ddpm.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small PNGs of each kind the folder data set accepts, written with ImageIO. */
final class TestPngs {
  private TestPngs() {}

  /** 8-bit grey, {@code values} row by row. */
  static Path gray(Path file, int width, int height, int... values) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setPixels(0, 0, width, height, values);
    return write(file, image);
  }

  /** 8-bit RGB, one 0xRRGGBB per pixel, row by row. */
  static Path rgb(Path file, int width, int height, int... colors) throws IOException {
    return write(file, withColors(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), colors));
  }

  /** RGBA, one 0xAARRGGBB per pixel, row by row. */
  static Path argb(Path file, int width, int height, int... colors) throws IOException {
    return write(file, withColors(new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB), colors));
  }

  /** A palette image; {@code indices} pick entries of {@code palette} (0xRRGGBB), row by row. */
  static Path palette(Path file, int width, int height, int[] palette, int... indices) throws IOException {
    byte[] r = new byte[palette.length];
    byte[] g = new byte[palette.length];
    byte[] b = new byte[palette.length];
    for (int i = 0; i < palette.length; i++) {
      r[i] = (byte) (palette[i] >> 16);
      g[i] = (byte) (palette[i] >> 8);
      b[i] = (byte) palette[i];
    }
    IndexColorModel colors = new IndexColorModel(8, palette.length, r, g, b);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, colors);
    image.getRaster().setPixels(0, 0, width, height, indices);
    return write(file, image);
  }

  /** Any BufferedImage ImageIO can encode, such as 1-bit or 16-bit grey. */
  static Path write(Path file, BufferedImage image) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("ImageIO has no PNG writer for " + image);
    }
    return file;
  }

  private static BufferedImage withColors(BufferedImage image, int[] colors) {
    image.setRGB(0, 0, image.getWidth(), image.getHeight(), colors, 0, image.getWidth());
    return image;
  }
}
