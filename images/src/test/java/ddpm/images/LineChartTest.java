package ddpm.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class LineChartTest {
  private static final int WHITE = 0xFFFFFF;

  @Test
  void aDecayingLossOnALogAxisIsAPngWithInkInsideThePlot() throws IOException {
    int n = 1000;
    double[] steps = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      steps[i] = i + 1;
      loss[i] = Math.exp(-i / 200.0) + 0.01;
    }
    LineChart chart = new LineChart("loss", "step", "L_simple", true);
    BufferedImage image = read(chart.png(List.of(new LineChart.Series("loss", steps, loss))));

    assertEquals(LineChart.WIDTH, image.getWidth());
    assertEquals(LineChart.HEIGHT, image.getHeight());
    assertEquals(WHITE, image.getRGB(1, 1) & WHITE, "the background is white");
    // Step 101 lies 100/999 of the way across a 700-pixel plot that starts at x = 80; its log-loss lies 12%
    // of the way down a 400-pixel plot from the top at y = 40.
    double top = Math.log10(loss[0]);
    double bottom = Math.log10(loss[n - 1]);
    int x = (int) Math.round(80 + 100.0 / 999 * 700);
    int y = (int) Math.round(40 + (top - Math.log10(loss[100])) / (top - bottom) * 400);
    assertTrue(colouredNear(image, x, y), "the curve passes (" + x + ", " + y + ")");
    assertFalse(colouredNear(image, x, 40 + 400 - 10), "and nowhere near the bottom there");
  }

  @Test
  void pointsThatCannotBeDrawnAreSkippedAndAFlatSeriesStillDraws() throws IOException {
    double[] x = {1, 2, 3, 4};
    double[] y = {0.5, Double.NaN, 0, 0.5};
    LineChart chart = new LineChart("flat", "x", "y", true);
    BufferedImage image = read(chart.png(List.of(
        new LineChart.Series("raw", x, y), new LineChart.Series("smoothed", x, new double[] {0.5, 0.5, 0.5, 0.5}))));
    assertEquals(LineChart.WIDTH, image.getWidth());
  }

  @Test
  void mismatchedOrMissingSeriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LineChart.Series("bad", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y", false).png(List.of()));
  }

  /** Whether a pixel within 3 pixels of (x, y) has colour (axes and text are gray, the lines are not). */
  private static boolean colouredNear(BufferedImage image, int x, int y) {
    for (int dy = -3; dy <= 3; dy++) {
      for (int dx = -3; dx <= 3; dx++) {
        int rgb = image.getRGB(x + dx, y + dy);
        int r = (rgb >> 16) & 0xFF;
        int b = rgb & 0xFF;
        if (b - r > 30) {
          return true;
        }
      }
    }
    return false;
  }

  private static BufferedImage read(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }
}
