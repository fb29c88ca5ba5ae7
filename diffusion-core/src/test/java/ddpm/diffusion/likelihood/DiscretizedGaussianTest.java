package ddpm.diffusion.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each bin against the density's integral is test-support's GaussianBoundTest, beside the integral it uses. */
class DiscretizedGaussianTest {
  /** Far from the mean a bin's probability underflows a double; its log does not, and equals the tail's. */
  @Test
  void aBinFarFromTheMeanKeepsItsLogProbability() {
    double logP = DiscretizedGaussian.logProbability(255, -1, 1e-4);
    // log Φ(−(1 − 1/255 + 1)/0.01): the whole upper tail beyond the bin's lower edge.
    assertEquals(NormalCdf.logCdf(-(2 - 1.0 / 255) / 0.01), logP, 1e-12 * Math.abs(logP));
    assertTrue(logP < -19_000, "log P = " + logP);
  }

  @ParameterizedTest
  @CsvSource({"-0.3, 1e-4", "0.999, 0.02", "-1.2, 0.5"})
  void theBinsHoldTheWholeProbability(double mean, double variance) {
    double sum = 0;
    for (int p = 0; p < 256; p++) {
      sum += Math.exp(DiscretizedGaussian.logProbability(p, mean, variance));
    }
    assertEquals(1, sum, 1e-12);
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> DiscretizedGaussian.logProbability(256, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> DiscretizedGaussian.logProbability(-1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> DiscretizedGaussian.logProbability(3, 0, 0));
  }
}
