package ddpm.images;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * A batch of images as one PNG: a nearly square grid (ceil(sqrt(N)) columns), images in row-major order
 * separated by a black border of {@link #PADDING} pixels, as torchvision's make_grid lays them out.
 * Grayscale (C = 1), RGB (C = 3) or RGBA (C = 4).
 */
public final class ImageGrid {
  public static final int PADDING = 2;
  /** Images smaller than this many pixels across are enlarged by a whole factor, so a person can judge them. */
  static final int MIN_DRAWN_SIZE = 32;

  private ImageGrid() {}

  /** The grid of {@code n} images of h × w × c, uint8 NHWC, each enlarged to at least {@value #MIN_DRAWN_SIZE} pixels. */
  public static byte[] png(byte[] nhwc, int n, int h, int w, int c) {
    int smaller = Math.min(h, w);
    return png(nhwc, n, h, w, c, Math.max(1, (MIN_DRAWN_SIZE + smaller - 1) / smaller));
  }

  /** The same, every pixel drawn as a {@code scale} × {@code scale} block (small images are easier to see). */
  public static byte[] png(byte[] nhwc, int n, int h, int w, int c, int scale) {
    if (n < 1 || h < 1 || w < 1 || scale < 1) {
      throw new IllegalArgumentException(
          "need n, h, w and scale ≥ 1, got n=" + n + " h=" + h + " w=" + w + " scale=" + scale);
    }
    if ((long) n * h * w * c != nhwc.length) {
      throw new IllegalArgumentException(
          nhwc.length + " bytes are not " + n + " images of " + h + "×" + w + "×" + c);
    }
    int columns = (int) Math.ceil(Math.sqrt(n));
    int rows = (n + columns - 1) / columns;
    int cellHeight = h * scale + PADDING;
    int cellWidth = w * scale + PADDING;
    BufferedImage grid = new BufferedImage(
        columns * cellWidth + PADDING, rows * cellHeight + PADDING, imageType(c));
    WritableRaster raster = grid.getRaster();
    int[] pixel = new int[c];
    for (int i = 0; i < n; i++) {
      int top = PADDING + (i / columns) * cellHeight;
      int left = PADDING + (i % columns) * cellWidth;
      for (int y = 0; y < h * scale; y++) {
        for (int x = 0; x < w * scale; x++) {
          int offset = ((i * h + y / scale) * w + x / scale) * c;
          for (int channel = 0; channel < c; channel++) {
            pixel[channel] = nhwc[offset + channel] & 0xFF;
          }
          raster.setPixel(left + x, top + y, pixel);
        }
      }
    }
    return Png.encode(grid);
  }

  private static int imageType(int channels) {
    return switch (channels) {
      case 1 -> BufferedImage.TYPE_BYTE_GRAY;
      case 3 -> BufferedImage.TYPE_3BYTE_BGR;
      case 4 -> BufferedImage.TYPE_4BYTE_ABGR;
      default -> throw new IllegalArgumentException("channels must be 1, 3 or 4 for a PNG, got " + channels);
    };
  }
}
