package ddpm.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
  void inconsistentSizesAndUnsupportedChannelsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[5], 1, 2, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[12], 1, 2, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(new byte[0], 0, 2, 3, 1));
  }

  private static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }
}
