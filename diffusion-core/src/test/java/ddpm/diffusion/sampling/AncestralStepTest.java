package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AncestralStepTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private static final int N = 500;

  @ParameterizedTest
  @EnumSource(VarianceKind.class)
  void bothFormsAgreeWithoutClipping(VarianceKind variance) {
    NoiseSchedule respacedCosine = NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(50);
    for (NoiseSchedule schedule : new NoiseSchedule[] {LINEAR, respacedCosine}) {
      AncestralStep step = new AncestralStep(schedule, variance, false);
      SplittableRandom random = new SplittableRandom(1);
      for (int k : new int[] {0, 1, schedule.steps() / 2, schedule.steps() - 1}) {
        float[] x = TestImages.gaussians(random, N, 2);
        float[] eps = TestImages.gaussians(random, N, 1);
        double[] z = random.doubles(N).map(u -> u * 2 - 1).toArray();
        float[] direct = step.direct(x, eps, k, z);
        float[] viaX0 = step.viaX0(x, eps, k, z, false);
        for (int j = 0; j < N; j++) {
          double tolerance = 1e-5 * Math.max(1, Math.abs(direct[j]));
          assertEquals(direct[j], viaX0[j], tolerance, schedule + " k=" + k + " j=" + j);
        }
      }
    }
  }

  @Test
  void directFormMatchesAlgorithmTwoWrittenOut() {
    AncestralStep step = new AncestralStep(LINEAR, VarianceKind.FIXED_LARGE, false);
    int k = 300;
    double beta = LINEAR.betas()[k];
    double abar = LINEAR.alphasCumprod()[k];
    float[] out = step.direct(new float[] {0.5f}, new float[] {-0.25f}, k, new double[] {0.7});
    double expected = 1 / Math.sqrt(1 - beta) * (0.5 - beta / Math.sqrt(1 - abar) * -0.25) + Math.sqrt(beta) * 0.7;
    assertEquals(expected, out[0], 1e-6);
  }

  @ParameterizedTest
  @EnumSource(VarianceKind.class)
  void noiseIsScaledByTheStandardDeviationNotTheVariance(VarianceKind variance) {
    AncestralStep step = new AncestralStep(LINEAR, variance, false);
    int k = 10;
    double expectedVariance = variance == VarianceKind.FIXED_LARGE
        ? LINEAR.betas()[k] : LINEAR.posteriorVariance()[k];
    float[] x = {0.3f};
    float[] eps = {0.1f};
    float withNoise = step.direct(x, eps, k, new double[] {1})[0];
    float without = step.direct(x, eps, k, new double[] {0})[0];
    assertEquals(Math.sqrt(expectedVariance), step.sigma(k), 1e-15);
    assertEquals(Math.sqrt(expectedVariance), withNoise - without, 1e-6);
  }

  @Test
  void theLastStepAddsNoNoise() {
    AncestralStep step = new AncestralStep(LINEAR, VarianceKind.FIXED_LARGE, false);
    float[] x = {0.3f, -0.2f};
    float[] eps = {0.1f, 0.4f};
    float[] a = step.direct(x, eps, 0, null);
    float[] b = step.direct(x, eps, 0, new double[] {5, 5});
    assertEquals(a[0], b[0]);
    assertEquals(a[1], b[1]);
  }

  @Test
  void clippingBoundsThePredictedCleanImage() {
    AncestralStep step = new AncestralStep(LINEAR, VarianceKind.FIXED_SMALL, false);
    int k = 0;
    // At k = 0 the posterior mean is x0_hat itself (coef_x0 = 1, coef_xt = 0): clipping shows directly.
    float[] x = {3f, -3f, 0.2f};
    float[] eps = {0f, 0f, 0f};
    float[] clipped = step.viaX0(x, eps, k, null, true);
    float[] unclipped = step.viaX0(x, eps, k, null, false);
    assertEquals(1f, clipped[0], 1e-6);
    assertEquals(-1f, clipped[1], 1e-6);
    assertEquals(unclipped[2], clipped[2]);
    assertNotEquals(unclipped[0], clipped[0]);
  }

  @Test
  void missingNoiseBeforeTheLastStepIsRefused() {
    AncestralStep step = new AncestralStep(LINEAR, VarianceKind.FIXED_LARGE, false);
    assertThrows(IllegalArgumentException.class, () -> step.direct(new float[2], new float[2], 5, null));
    assertThrows(IllegalArgumentException.class, () -> step.direct(new float[2], new float[3], 0, null));
  }
}
