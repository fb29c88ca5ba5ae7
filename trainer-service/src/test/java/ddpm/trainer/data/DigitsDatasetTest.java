package ddpm.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import org.junit.jupiter.api.Test;

class DigitsDatasetTest {
  @Test
  void holdsAll1797ImagesScaledToMinusOneToOne() {
    Dataset digits = DigitsDataset.load();
    assertEquals(1797, digits.count());
    assertEquals(new ImageShape(8, 8, 1), digits.shape());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : digits.images()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // Block counts 0 and 16 become pixels 0 and 255, the ends of [−1, 1].
    assertEquals(-1f, min);
    assertEquals(1f, max);
    // The first image's first row is 0,0,5,13,9,1,0,0: count 13 is pixel round(13·255/16) = 207.
    assertEquals(207 / 127.5 - 1, digits.images()[3], 1e-6);
  }
}
