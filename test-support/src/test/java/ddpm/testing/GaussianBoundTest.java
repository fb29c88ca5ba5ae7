package ddpm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.likelihood.DiscretizedGaussian;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GaussianBoundTest {
  /**
   * diffusion-core's decoder (Ho et al. §3.3) against the direct integral of the Gaussian density over each bin:
   * agreement to 1e-9 relative, for pixels at both edges, inside, and bins many σ from the mean, with σ from Ho et
   * al.'s decoder (β̃[1] ≈ 5e-5 at T = 1000, linear) to 1.
   */
  @ParameterizedTest
  @CsvSource({
      "0, -1.0, 1e-4", "0, -0.9, 0.01", "255, 1.0, 1e-4", "255, 0.95, 0.01", "128, 0.0, 1e-4",
      "128, 0.01, 2.5e-5", "17, -0.8, 0.3", "200, 0.5, 1.0", "100, -0.2, 1e-3", "60, -0.5, 4e-4"})
  void theDecodersBinProbabilityIsTheIntegralOfTheDensityOverTheBin(int pixel, double mean, double variance) {
    double integral = GaussianBound.binProbability(pixel, mean, Math.sqrt(variance));

    double probability = Math.exp(DiscretizedGaussian.logProbability(pixel, mean, variance));

    assertEquals(integral, probability, 1e-9 * integral);
  }
}
