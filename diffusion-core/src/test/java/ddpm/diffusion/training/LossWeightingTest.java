package ddpm.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossWeightingTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

  @ParameterizedTest
  @CsvSource({"LINEAR, 1", "COSINE, 1", "LINEAR, 3"})
  void gammaZeroIsLSimpleEveryWeightExactlyOneWhateverK(ScheduleKind kind, double k) {
    LossWeighting weighting = new LossWeighting(0, k);
    double[] weights = weighting.weights(NoiseSchedule.of(kind, 1000));
    assertTrue(weighting.isUniform());
    assertEquals(1000, weights.length);
    assertTrue(Arrays.stream(weights).allMatch(w -> w == 1.0), Arrays.toString(weights));
  }

  /** With k = 1 and γ = 1, 1/(1 + SNR) = 1 − ᾱ_t: the weights are 1 − ᾱ_t over their mean. */
  @Test
  void gammaOneAndKOneWeighEachTimestepByOneMinusAlphasCumprod() {
    double[] alphasCumprod = LINEAR.alphasCumprod();
    double mean = Arrays.stream(alphasCumprod).map(a -> 1 - a).average().orElseThrow();
    double[] weights = new LossWeighting(1, 1).weights(LINEAR);
    for (int t = 0; t < weights.length; t++) {
      assertEquals((1 - alphasCumprod[t]) / mean, weights[t], 1e-12, "t = " + t);
    }
  }

  @ParameterizedTest
  @CsvSource({"LINEAR, 0.5, 1", "LINEAR, 1, 1", "COSINE, 1, 1", "COSINE, 2, 0.1", "LINEAR, 1, 5"})
  void weightsAverageOneAndNeverFallAsNoiseGrows(ScheduleKind kind, double gamma, double k) {
    double[] weights = new LossWeighting(gamma, k).weights(NoiseSchedule.of(kind, 1000));
    assertEquals(1.0, Arrays.stream(weights).average().orElseThrow(), 1e-12);
    for (int t = 1; t < weights.length; t++) {
      assertTrue(weights[t] >= weights[t - 1], "λ falls from t = " + (t - 1) + " to " + t);
    }
    assertTrue(weights[999] > 10 * weights[0], "the noisiest timestep should outweigh the cleanest by far: "
        + weights[999] + " vs " + weights[0]);
  }

  @Test
  void aRespacedScheduleIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LossWeighting(1, 1).weights(LINEAR.respace(50)));
  }

  @ParameterizedTest
  @CsvSource({"-1, 1, p2_gamma", "NaN, 1, p2_gamma", "Infinity, 1, p2_gamma", "1, 0, p2_k", "1, -2, p2_k",
      "1, Infinity, p2_k", "1, NaN, p2_k"})
  void badParametersAreRefusedNamingTheField(double gamma, double k, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LossWeighting(gamma, k));
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }
}
