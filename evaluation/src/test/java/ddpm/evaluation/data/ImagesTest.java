package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImagesTest {
  /** 100 one-pixel images whose pixel is their index, so a sample shows which images it took. */
  private static final Images NUMBERED = numbered();

  @Test
  void sampleDrawsDistinctImagesTheSameForTheSameSeed() {
    Images a = NUMBERED.sample(40, 7);
    Set<Byte> taken = new HashSet<>();
    for (byte b : a.pixels()) {
      taken.add(b);
    }
    assertEquals(40, taken.size());
    assertArrayEquals(a.pixels(), NUMBERED.sample(40, 7).pixels());
  }

  @Test
  void sampleRefusesMoreThanThereAre() {
    assertThrows(IllegalArgumentException.class, () -> NUMBERED.sample(101, 0));
  }

  @Test
  void refusesPixelsThatAreNotWholeImages() {
    assertThrows(IllegalArgumentException.class, () -> new Images(2, 28, 28, new byte[28 * 28]));
  }

  @Test
  void concatRefusesImagesOfAnotherSize() {
    Images small = new Images(1, 8, 8, new byte[64]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Images.concat(List.of(NUMBERED, small)));
    assertEquals("images of 8×8 cannot join images of 1×1", e.getMessage());
  }

  private static Images numbered() {
    byte[] pixels = new byte[100];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    return new Images(100, 1, 1, pixels);
  }
}
