package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseStreamsTest {
  @Test
  void eachImageDrawsFromItsOwnStreamWhateverTheBatchSize() {
    NoiseStreams four = new NoiseStreams(7, 0, 4, 10);
    NoiseStreams sixteen = new NoiseStreams(7, 0, 16, 10);
    for (int draw = 0; draw < 3; draw++) {
      double[] small = four.next();
      double[] large = sixteen.next();
      assertArrayEquals(small, Arrays.copyOf(large, small.length), "draw " + draw);
    }
  }

  @Test
  void imagesAndSeedsGetDifferentNoise() {
    double[] z = new NoiseStreams(7, 0, 2, 10).next();
    assertFalse(Arrays.equals(Arrays.copyOfRange(z, 0, 10), Arrays.copyOfRange(z, 10, 20)));
    assertFalse(Arrays.equals(z, new NoiseStreams(8, 0, 2, 10).next()));
  }

  @Test
  void drawsAreStandardNormal() {
    double[] z = new NoiseStreams(123, 0, 10, 10_000).next();
    double mean = Arrays.stream(z).average().orElseThrow();
    double variance = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
    // 1e5 draws: the standard error of the mean is 0.0032 and of the variance 0.0045; allow 5 of each.
    assertEquals(0, mean, 0.016);
    assertEquals(1, variance, 0.023);
  }

  @Test
  void aBatchAtAnOffsetContinuesTheSeedsSequence() {
    NoiseStreams whole = new NoiseStreams(7, 0, 8, 10);
    NoiseStreams firstThree = new NoiseStreams(7, 0, 3, 10);
    NoiseStreams lastFive = new NoiseStreams(7, 3, 5, 10);
    for (int draw = 0; draw < 3; draw++) {
      double[] all = whole.next();
      assertArrayEquals(Arrays.copyOf(all, 30), firstThree.next(), "draw " + draw);
      assertArrayEquals(Arrays.copyOfRange(all, 30, 80), lastFive.next(), "draw " + draw);
    }
  }

  /**
   * Image n of seed s draws from a SplittableRandom seeded with the (n + 1)-th long of the JDK's
   * SplittableRandom(s): the streams images had before requests could start at an offset, so that a request
   * at offset 0 returns the images it always did.
   */
  @Test
  void imageNDrawsFromTheStreamItHadBeforeOffsets() {
    long seed = 1;
    SplittableRandom streamSeeds = new SplittableRandom(seed);
    double[] batch = new NoiseStreams(seed, 0, 300, 2).next();
    for (int n = 0; n < 300; n++) {
      SplittableRandom image = new SplittableRandom(streamSeeds.nextLong());
      assertArrayEquals(new double[] {image.nextGaussian(), image.nextGaussian()},
          Arrays.copyOfRange(batch, 2 * n, 2 * n + 2), "image " + n);
      assertArrayEquals(Arrays.copyOfRange(batch, 2 * n, 2 * n + 2), new NoiseStreams(seed, n, 1, 2).next(),
          "image " + n + " alone");
    }
  }

  @Test
  void anEmptyBatchIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new NoiseStreams(1, 0, 0, 10));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, Long.MAX_VALUE - 1})
  void anOffsetThatLeavesAnImageWithoutAPositionIsRefusedNamingTheField(long offset) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new NoiseStreams(1, offset, 2, 10));
    assertTrue(e.getMessage().startsWith("image_offset"), e.getMessage());
  }

  @Test
  void theLastPositionsOfTheSequenceCanBeDrawn() {
    assertEquals(20, new NoiseStreams(1, Long.MAX_VALUE - 2, 2, 10).next().length);
  }
}
