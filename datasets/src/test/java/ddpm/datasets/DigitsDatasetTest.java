package ddpm.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigitsDatasetTest {
  private final ImageSet digits = KnownDataset.DIGITS.source(Path.of("unused")).load(Split.TRAIN);

  @Test
  void holdsAll1797ImagesWithCountsScaledTo8Bits() {
    assertEquals(1797, digits.count());
    assertEquals(new ImageShape(8, 8, 1), digits.shape());
    byte[] pixels = digits.pixels();
    IntSummaryStatistics levels = IntStream.range(0, pixels.length).map(i -> pixels[i] & 0xFF).summaryStatistics();
    // Block counts 0 and 16 become pixels 0 and 255.
    assertEquals(0, levels.getMin());
    assertEquals(255, levels.getMax());
    // The first image's first row is 0,0,5,13,9,1,0,0: count 13 is pixel round(13·255/16) = 207.
    assertEquals(207, digits.pixels()[3] & 0xFF);
  }

  @Test
  void everyImageHasItsDigitAsLabel() {
    int[] labels = digits.labels();
    // The file's first lines are a 0, a 1 and a 2, as in scikit-learn's load_digits().target.
    assertArrayEquals(new int[] {0, 1, 2}, new int[] {labels[0], labels[1], labels[2]});
    int[] counts = new int[10];
    for (int label : labels) {
      counts[label]++;
    }
    // The per-digit counts of the UCI test set that scikit-learn ships.
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
  }
}
