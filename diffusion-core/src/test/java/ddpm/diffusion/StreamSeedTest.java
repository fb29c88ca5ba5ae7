package ddpm.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamSeedTest {
  /** The JDK's SplitMix64 is an independent implementation of the same recipe: its n-th long is stream n's seed. */
  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE, 0x9E3779B97F4A7C15L})
  void streamNIsTheNthLongOfTheJdksSplitMix64(long seed) {
    SplittableRandom jdk = new SplittableRandom(seed);
    for (long index = 1; index <= 1000; index++) {
      assertEquals(jdk.nextLong(), StreamSeed.of(seed, index), "seed " + seed + ", index " + index);
    }
  }

  @Test
  void neighbouringSeedsAndIndicesGiveUnrelatedStreamSeeds() {
    assertNotEquals(StreamSeed.of(7, 1), StreamSeed.of(7, 2));
    assertNotEquals(StreamSeed.of(7, 1), StreamSeed.of(8, 1));
    // Bits that differ between two neighbours: about half of 64 for a good mix, not one or two.
    assertEquals(32, Long.bitCount(StreamSeed.of(7, 1) ^ StreamSeed.of(7, 2)), 16);
  }
}
