package ddpm.trainer.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LossCurveTest {
  /**
   * A loss of 1 for 100 steps, then 0.02 for 4,900: the averaging window is 100 steps (2 % of 5,000), so four
   * windows after the drop the smoothed line must be at the new level, as the log-scale chart shows it.
   */
  @Test
  void theSmoothedLineReachesAPlateauWithinAFewWindowsOfADrop() {
    float[] losses = new float[5000];
    Arrays.fill(losses, 0, 100, 1f);
    Arrays.fill(losses, 100, losses.length, 0.02f);
    LossCurve.Points points = LossCurve.points(losses);
    assertEquals(3, points.bucket());
    int fourWindowsAfter = (100 + 400) / points.bucket();
    double smoothed = points.smoothed()[fourWindowsAfter];
    assertTrue(smoothed < 0.02 * 1.15, "smoothed loss " + smoothed + " at step " + points.steps()[fourWindowsAfter]);
    assertEquals(0.02, points.smoothed()[points.smoothed().length - 1], 1e-6);
  }

  @Test
  void bucketsAverageTheirSteps() {
    float[] losses = new float[4001];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = 1 + i % 3;
    }
    LossCurve.Points points = LossCurve.points(losses);
    assertEquals(3, points.bucket());
    assertEquals(2.0, points.means()[0], 1e-12);
    assertEquals(3.0, points.steps()[0]);
    assertEquals(4001.0, points.steps()[points.steps().length - 1]);
  }
}
