package ddpm.diffusion.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscretizedGaussianTest {
  /**
   * Each bin's probability against the integral of the Gaussian density over the bin, by composite Simpson's rule
   * on 20,000 intervals (an open end cut at 40σ past the mean, where the density is below 1e-340): agreement to
   * 1e-9 relative. Pixels at both edges, inside, and bins many σ from the mean; σ from Ho et al.'s decoder
   * (β̃[1] ≈ 1e-4 at T = 1000, linear) to 1.
   */
  @ParameterizedTest
  @CsvSource({
      "0, -1.0, 1e-4", "0, -0.9, 0.01", "255, 1.0, 1e-4", "255, 0.95, 0.01", "128, 0.0, 1e-4",
      "128, 0.01, 2.5e-5", "17, -0.8, 0.3", "200, 0.5, 1.0", "100, -0.2, 1e-3", "60, -0.5, 4e-4"})
  void aBinsProbabilityIsTheIntegralOfTheDensityOverIt(int pixel, double mean, double variance) {
    double sigma = Math.sqrt(variance);
    double x = pixel / 127.5 - 1;
    double low = pixel == 0 ? Math.min(x, mean) - 40 * sigma : x - 1.0 / 255;
    double high = pixel == 255 ? Math.max(x, mean) + 40 * sigma : x + 1.0 / 255;
    double integral = simpson(low, high, mean, sigma, 20_000);

    double probability = Math.exp(DiscretizedGaussian.logProbability(pixel, mean, variance));

    assertEquals(integral, probability, 1e-9 * integral);
  }

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

  private static double simpson(double low, double high, double mean, double sigma, int intervals) {
    double h = (high - low) / intervals;
    double sum = density(low, mean, sigma) + density(high, mean, sigma);
    for (int k = 1; k < intervals; k++) {
      sum += (k % 2 == 1 ? 4 : 2) * density(low + k * h, mean, sigma);
    }
    return sum * h / 3;
  }

  private static double density(double x, double mean, double sigma) {
    double u = (x - mean) / sigma;
    return Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI));
  }
}
