package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseStreamsTest {
  @Test
  void eachImageDrawsFromItsOwnStreamWhateverTheBatchSize() {
    NoiseStreams four = new NoiseStreams(7, 4, 10);
    NoiseStreams sixteen = new NoiseStreams(7, 16, 10);
    for (int draw = 0; draw < 3; draw++) {
      double[] small = four.next();
      double[] large = sixteen.next();
      assertArrayEquals(small, Arrays.copyOf(large, small.length), "draw " + draw);
    }
  }

  @Test
  void imagesAndSeedsGetDifferentNoise() {
    double[] z = new NoiseStreams(7, 2, 10).next();
    assertFalse(Arrays.equals(Arrays.copyOfRange(z, 0, 10), Arrays.copyOfRange(z, 10, 20)));
    assertFalse(Arrays.equals(z, new NoiseStreams(8, 2, 10).next()));
  }

  @Test
  void drawsAreStandardNormal() {
    double[] z = new NoiseStreams(123, 10, 10_000).next();
    double mean = Arrays.stream(z).average().orElseThrow();
    double variance = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
    // 1e5 draws: the standard error of the mean is 0.0032 and of the variance 0.0045; allow 5 of each.
    assertEquals(0, mean, 0.016);
    assertEquals(1, variance, 0.023);
  }

  @Test
  void anEmptyBatchIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new NoiseStreams(1, 0, 10));
  }
}
