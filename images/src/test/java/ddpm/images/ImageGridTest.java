package ddpm.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageGridTest {
  private static final int P = ImageGrid.PADDING;

  @Test
  void smallImagesAreEnlargedByAWholeFactorToBeLegible() throws IOException {
    BufferedImage eight = read(ImageGrid.png(new byte[4 * 8 * 8], 4, 8, 8, 1));
    assertEquals(2 * (8 * 4 + P) + P, eight.getWidth());
    BufferedImage large = read(ImageGrid.png(new byte[40 * 40], 1, 40, 40, 1));
    assertEquals(40 + 2 * P, large.getWidth());
  }

  @Test
  void grayscaleImagesFillANearlySquareGridInRowMajorOrder() throws IOException {
    int n = 5;
    int h = 2;
    int w = 3;
    byte[] pixels = new byte[n * h * w];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < h * w; j++) {
        pixels[i * h * w + j] = (byte) (40 * i + j);
      }
    }
    BufferedImage grid = read(ImageGrid.png(pixels, n, h, w, 1, 1));
    assertEquals(3 * (w + P) + P, grid.getWidth());
    assertEquals(2 * (h + P) + P, grid.getHeight());
    // Image 4 sits in row 1, column 1; its pixel (y=1, x=2) has value 40·4 + 5.
    int x = P + (w + P) + 2;
    int y = P + (h + P) + 1;
    assertEquals(165, grid.getRaster().getSample(x, y, 0));
    assertEquals(0, grid.getRaster().getSample(0, 0, 0));
  }

  @Test
  void rgbChannelsKeepTheirOrderAndUpscalingRepeatsPixels() throws IOException {
    byte[] pixels = {(byte) 200, 10, 30, 1, 2, 3};
    BufferedImage grid = read(ImageGrid.png(pixels, 1, 1, 2, 3, 4));
    assertEquals(2 * 4 + 2 * P, grid.getWidth());
    assertEquals(4 + 2 * P, grid.getHeight());
    assertEquals(0xC80A1E, grid.getRGB(P, P) & 0xFFFFFF);
    assertEquals(0xC80A1E, grid.getRGB(P + 3, P + 3) & 0xFFFFFF);
    assertEquals(0x010203, grid.getRGB(P + 4, P) & 0xFFFFFF);
  }

  @Test
  void byRowGivesEachKeyItsOwnRowInAscendingOrderKeepingTheImagesOrder() throws IOException {
    int[] keys = {2, 0, 2, 0, 2};
    byte[] pixels = new byte[keys.length * 32 * 32];
    for (int i = 0; i < keys.length; i++) {
      Arrays.fill(pixels, i * 32 * 32, (i + 1) * 32 * 32, (byte) (10 * (i + 1)));
    }
    BufferedImage grid = read(ImageGrid.pngByRow(pixels, keys, 32, 32, 1));
    int cell = 32 + P;
    assertEquals(3 * cell + P, grid.getWidth());
    assertEquals(2 * cell + P, grid.getHeight());
    int[][] expected = {{20, 40, 0}, {10, 30, 50}};
    for (int row = 0; row < 2; row++) {
      for (int column = 0; column < 3; column++) {
        assertEquals(expected[row][column], grid.getRaster().getSample(P + column * cell, P + row * cell, 0),
            "row " + row + ", column " + column);
      }
    }
  }

  @Test
  void byRowWrapsAKeyWithMoreImagesThanARowHoldsOntoRowsOfItsOwn() throws IOException {
    int n = ImageGrid.MAX_ROW_LENGTH + 1;
    int[] keys = new int[n + 1];
    keys[n] = 1;
    byte[] pixels = new byte[(n + 1) * 32 * 32];
    Arrays.fill(pixels, n * 32 * 32, pixels.length, (byte) 99);
    BufferedImage grid = read(ImageGrid.pngByRow(pixels, keys, 32, 32, 1));
    int cell = 32 + P;
    assertEquals(ImageGrid.MAX_ROW_LENGTH * cell + P, grid.getWidth());
    assertEquals(3 * cell + P, grid.getHeight());
    assertEquals(99, grid.getRaster().getSample(P, P + 2 * cell, 0));
  }

  @Test
  void inconsistentSizesAndUnsupportedChannelsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[5], 1, 2, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[12], 1, 2, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[0], 0, 2, 3, 1));
  }

  private static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }
}
