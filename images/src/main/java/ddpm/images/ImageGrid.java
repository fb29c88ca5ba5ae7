package ddpm.images;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A batch of images as one PNG: a nearly square grid (ceil(sqrt(N)) columns), images in row-major order
 * separated by a black border of {@link #PADDING} pixels, as torchvision's make_grid lays them out.
 * Grayscale (C = 1), RGB (C = 3) or RGBA (C = 4). Images drawn for classes go one class per row instead
 * ({@link #pngByRow}).
 */
public final class ImageGrid {
  public static final int PADDING = 2;
  /** Images smaller than this many pixels across are enlarged by a whole factor, so a person can judge them. */
  static final int MIN_DRAWN_SIZE = 32;
  /** The most images in one row of {@link #pngByRow}, so that a thousand images of one class stay viewable. */
  public static final int MAX_ROW_LENGTH = 32;

  private ImageGrid() {}

  /** The grid of {@code n} images of h × w × c, uint8 NHWC, each enlarged to at least {@value #MIN_DRAWN_SIZE} pixels. */
  public static byte[] png(byte[] nhwc, int n, int h, int w, int c) {
    return png(nhwc, n, h, w, c, legibleScale(h, w));
  }

  /** The same, every pixel drawn as a {@code scale} × {@code scale} block (small images are easier to see). */
  public static byte[] png(byte[] nhwc, int n, int h, int w, int c, int scale) {
    check(nhwc, n, h, w, c, scale);
    int columns = (int) Math.ceil(Math.sqrt(n));
    int[] row = new int[n];
    int[] column = new int[n];
    for (int i = 0; i < n; i++) {
      row[i] = i / columns;
      column[i] = i % columns;
    }
    return draw(nhwc, h, w, c, scale, row, column, (n + columns - 1) / columns, columns);
  }

  /**
   * The grid of images of h × w × c, uint8 NHWC, one row per distinct key (a class label, say), keys in ascending
   * order, each row the images of its key in their order; a key with more than {@value #MAX_ROW_LENGTH} images
   * goes on over further rows of its own. The grid is as wide as the longest row; shorter rows end in black.
   * Images are enlarged as {@link #png(byte[], int, int, int, int)} enlarges them.
   */
  public static byte[] pngByRow(byte[] nhwc, int[] rowKeys, int h, int w, int c) {
    int n = rowKeys.length;
    check(nhwc, n, h, w, c, 1);
    SortedMap<Integer, Integer> perKey = new TreeMap<>();
    for (int key : rowKeys) {
      perKey.merge(key, 1, Integer::sum);
    }
    int columns = Math.min(MAX_ROW_LENGTH, perKey.values().stream().mapToInt(Integer::intValue).max().orElse(1));
    Map<Integer, Integer> firstRow = new HashMap<>();
    int rows = 0;
    for (Map.Entry<Integer, Integer> key : perKey.entrySet()) {
      firstRow.put(key.getKey(), rows);
      rows += (key.getValue() + columns - 1) / columns;
    }
    Map<Integer, Integer> placed = new HashMap<>();
    int[] row = new int[n];
    int[] column = new int[n];
    for (int i = 0; i < n; i++) {
      int index = placed.merge(rowKeys[i], 1, Integer::sum) - 1;
      row[i] = firstRow.get(rowKeys[i]) + index / columns;
      column[i] = index % columns;
    }
    return draw(nhwc, h, w, c, legibleScale(h, w), row, column, rows, columns);
  }

  private static int legibleScale(int h, int w) {
    int smaller = Math.min(h, w);
    return Math.max(1, (MIN_DRAWN_SIZE + smaller - 1) / smaller);
  }

  private static void check(byte[] nhwc, int n, int h, int w, int c, int scale) {
    if (n < 1 || h < 1 || w < 1 || scale < 1) {
      throw new IllegalArgumentException(
          "need n, h, w and scale ≥ 1, got n=" + n + " h=" + h + " w=" + w + " scale=" + scale);
    }
    if ((long) n * h * w * c != nhwc.length) {
      throw new IllegalArgumentException(
          nhwc.length + " bytes are not " + n + " images of " + h + "×" + w + "×" + c);
    }
  }

  /** Image i in cell (row[i], column[i]) of a rows × columns grid. */
  private static byte[] draw(byte[] nhwc, int h, int w, int c, int scale, int[] row, int[] column, int rows,
      int columns) {
    int cellHeight = h * scale + PADDING;
    int cellWidth = w * scale + PADDING;
    BufferedImage grid = new BufferedImage(
        columns * cellWidth + PADDING, rows * cellHeight + PADDING, imageType(c));
    WritableRaster raster = grid.getRaster();
    int[] pixel = new int[c];
    for (int i = 0; i < row.length; i++) {
      int top = PADDING + row[i] * cellHeight;
      int left = PADDING + column[i] * cellWidth;
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

  static int imageType(int channels) {
    return switch (channels) {
      case 1 -> BufferedImage.TYPE_BYTE_GRAY;
      case 3 -> BufferedImage.TYPE_3BYTE_BGR;
      case 4 -> BufferedImage.TYPE_4BYTE_ABGR;
      default -> throw new IllegalArgumentException("channels must be 1, 3 or 4 for a PNG, got " + channels);
    };
  }
}
