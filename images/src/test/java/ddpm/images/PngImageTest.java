package ddpm.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PngImageTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4})
  void everyValueComesBackFromItsPng(int channels) {
    byte[] pixels = new byte[16 * 16 * channels];
    for (int j = 0; j < pixels.length; j++) {
      pixels[j] = (byte) (j * 7);
    }
    assertArrayEquals(pixels, PngImage.pixels(PngImage.png(pixels, 16, 16, channels), 16, 16, channels, "image"));
  }

  @Test
  void refusesAnotherShapeOrNotAPngNamingTheField() {
    byte[] png = PngImage.png(new byte[4 * 5], 4, 5, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PngImage.pixels(png, 5, 4, 1, "init_images.png[0]"));
    assertTrue(e.getMessage().startsWith("init_images.png[0] must be an 8-bit PNG of 5 × 4 with 1 channel(s)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PngImage.pixels(png, 4, 5, 3, "mask.png[1]"));
    assertTrue(e.getMessage().startsWith("mask.png[1] must be"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PngImage.pixels(new byte[] {1, 2, 3}, 4, 5, 1, "x"));
    assertTrue(e.getMessage().startsWith("x is not"), e.getMessage());
  }
}
