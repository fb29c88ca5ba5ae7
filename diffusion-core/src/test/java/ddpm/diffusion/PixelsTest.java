package ddpm.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PixelsTest {
  @Test
  void everyPixelValueSurvivesTheRoundTrip() {
    byte[] all = new byte[256];
    for (int p = 0; p < 256; p++) {
      all[p] = (byte) p;
    }
    assertArrayEquals(all, Pixels.toPixels(Pixels.toModel(all)));
  }

  @Test
  void scalingMapsTheEndsToMinusOneAndOne() {
    float[] x = Pixels.toModel(new byte[] {0, (byte) 255, (byte) 128});
    assertEquals(-1f, x[0]);
    assertEquals(1f, x[1]);
    assertEquals(128 / 127.5 - 1, x[2], 1e-7);
  }

  @Test
  void valuesOutsideTheRangeAreClippedAndNaNBecomesZero() {
    byte[] p = Pixels.toPixels(new float[] {-3f, 5f, 0f, Float.NaN, -0.999f});
    assertEquals(0, p[0] & 0xFF);
    assertEquals(255, p[1] & 0xFF);
    assertEquals(128, p[2] & 0xFF);
    assertEquals(0, p[3] & 0xFF);
    assertEquals(0, p[4] & 0xFF);
  }
}
