package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DdimStepTest {
  private static final NoiseSchedule COSINE_20 = NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(20);

  @Test
  void aStepFollowsTheSpecWrittenOut() {
    double eta = 0.7;
    int k = 9;
    DdimStep step = new DdimStep(COSINE_20, eta, false);
    double abar = COSINE_20.alphasCumprod()[k];
    double abarPrev = COSINE_20.alphasCumprod()[k - 1];
    double x = 0.4;
    double eps = -1.3;
    double z = 0.6;
    double x0Hat = (x - Math.sqrt(1 - abar) * eps) / Math.sqrt(abar);
    double sigma = eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
    double expected = Math.sqrt(abarPrev) * x0Hat + Math.sqrt(1 - abarPrev - sigma * sigma) * eps + sigma * z;

    float[] out = step.apply(new float[] {(float) x}, new float[] {(float) eps}, k, new double[] {z});

    assertEquals(sigma, step.sigma(k), 1e-15);
    assertEquals(expected, out[0], 1e-6);
  }

  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void etaOneOnTheFullScheduleIsAncestralSamplingWithThePosteriorVariance(ScheduleKind kind) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    DdimStep ddim = new DdimStep(full, 1, false);
    AncestralStep ancestral = new AncestralStep(full, VarianceKind.FIXED_SMALL, false);
    SplittableRandom random = new SplittableRandom(3);
    for (int k : new int[] {0, 1, 2, 10, 500, 998, 999}) {
      assertEquals(ancestral.sigma(k), ddim.sigma(k), 1e-9 * Math.max(1, ancestral.sigma(k)), "sigma at k=" + k);
      assertEquals(ancestral.addsNoise(k), ddim.addsNoise(k), "noise at k=" + k);
      float[] x = TestImages.gaussians(random, 200, 1.5);
      float[] eps = TestImages.gaussians(random, 200, 1);
      double[] z = random.doubles(200).map(u -> u * 4 - 2).toArray();
      float[] viaDdim = ddim.apply(x, eps, k, ddim.addsNoise(k) ? z : null);
      float[] viaAncestral = ancestral.viaX0(x, eps, k, z, false);
      for (int j = 0; j < x.length; j++) {
        assertEquals(viaAncestral[j], viaDdim[j], 1e-5 * Math.max(1, Math.abs(viaAncestral[j])), "k=" + k + " j=" + j);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.5, 1})
  void theLastStepReturnsThePredictedCleanImageWithoutNoise(double eta) {
    DdimStep step = new DdimStep(COSINE_20, eta, false);
    double sqrtAbar = COSINE_20.sqrtAlphasCumprod()[0];
    double sqrtOneMinusAbar = COSINE_20.sqrtOneMinusAlphasCumprod()[0];
    assertEquals(0, step.sigma(0));
    assertFalse(step.addsNoise(0));
    float[] out = step.apply(new float[] {0.3f}, new float[] {0.8f}, 0, null);
    assertEquals((0.3 - sqrtOneMinusAbar * 0.8) / sqrtAbar, out[0], 1e-6);
  }

  @Test
  void etaZeroIsDeterministicAndPositiveEtaAddsNoiseBeforeTheLastStep() {
    DdimStep deterministic = new DdimStep(COSINE_20, 0, false);
    DdimStep stochastic = new DdimStep(COSINE_20, 0.1, false);
    for (int k = 0; k < COSINE_20.steps(); k++) {
      assertFalse(deterministic.addsNoise(k), "k=" + k);
      assertEquals(k > 0, stochastic.addsNoise(k), "k=" + k);
    }
  }

  @Test
  void clippingBoundsThePredictedCleanImageAndKeepsTheUpdateConsistentWithIt() {
    int k = 5;
    DdimStep clipped = new DdimStep(COSINE_20, 0, true);
    double sqrtAbar = COSINE_20.sqrtAlphasCumprod()[k];
    double sqrtOneMinusAbar = COSINE_20.sqrtOneMinusAlphasCumprod()[k];
    double sqrtAbarPrev = COSINE_20.sqrtAlphasCumprod()[k - 1];
    float x = 0.9f;
    float eps = -2f; // x0_hat = (0.9 + 2 sqrt(1 − abar)) / sqrt(abar) > 1
    double epsFromClipped = (x - sqrtAbar) / sqrtOneMinusAbar;
    double expected = sqrtAbarPrev + Math.sqrt(1 - sqrtAbarPrev * sqrtAbarPrev) * epsFromClipped;
    assertTrue((x - sqrtOneMinusAbar * eps) / sqrtAbar > 1);
    assertEquals(expected, clipped.apply(new float[] {x}, new float[] {eps}, k, null)[0], 1e-6);
    assertEquals(1, clipped.apply(new float[] {1.5f}, new float[] {0}, 0, null)[0], 1e-6);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, 1.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void etaOutsideZeroToOneIsRefusedNamingTheField(double eta) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new DdimStep(COSINE_20, eta, false));
    assertTrue(e.getMessage().startsWith("eta"), e.getMessage());
  }
}
