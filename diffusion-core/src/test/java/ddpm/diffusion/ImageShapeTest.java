package ddpm.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageShapeTest {
  @Test
  void sizeIsTheProductOfTheDimensions() {
    assertEquals(28 * 28, new ImageShape(28, 28, 1).size());
    assertEquals(32 * 16 * 3, new ImageShape(32, 16, 3).size());
  }

  @Test
  void nonPositiveOrHugeShapesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(0, 28, 1));
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(28, 28, -1));
    assertThrows(IllegalArgumentException.class, () -> new ImageShape(100_000, 100_000, 3));
  }
}
