package ddpm.diffusion.editing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Independent Gaussian pixels, their exact ε, and draws from them, for the editing tests. */
final class EditingData {
  static final ImageShape SHAPE = new ImageShape(4, 4, 2);
  static final StepListener IGNORE = (step, total, timestep) -> { };

  final float[] mu = new float[SHAPE.size()];
  final float[] s = new float[SHAPE.size()];

  EditingData() {
    int pixels = SHAPE.size();
    for (int p = 0; p < pixels; p++) {
      mu[p] = -0.6f + 1.2f * p / (pixels - 1);
      s[p] = 0.3f + 0.4f * ((p * 7) % pixels) / (pixels - 1);
    }
  }

  static Stream<SamplerSettings> everySampler() {
    return Stream.of(
        SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false),
        SamplerSettings.ancestral(VarianceKind.FIXED_SMALL, true),
        SamplerSettings.ddim(0, false),
        SamplerSettings.ddim(1, true),
        SamplerSettings.dpmSolverPp2m(false));
  }

  ExactEps eps(NoiseSchedule full) {
    return ExactEps.gaussian(full, mu, s);
  }

  /** n images drawn from the data. */
  float[] draw(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int pixels = SHAPE.size();
    float[] out = new float[n * pixels];
    for (int j = 0; j < out.length; j++) {
      int p = j % pixels;
      out[j] = (float) (mu[p] + s[p] * random.nextGaussian());
    }
    return out;
  }

  /**
   * Over the pixels where {@code drawn} is true, each pixel's mean over the n images is μ_p within 5 s_p/sqrt(n)
   * plus {@code meanAllowance}, and its standard deviation is s_p within 5 s_p/sqrt(2n) plus
   * {@code relativeStdAllowance}·s_p.
   */
  void assertSampled(float[] x, int n, boolean[] drawn, double meanAllowance, double relativeStdAllowance) {
    int pixels = SHAPE.size();
    for (int p = 0; p < pixels; p++) {
      if (!drawn[p]) {
        continue;
      }
      double sum = 0;
      double sumSquares = 0;
      for (int i = 0; i < n; i++) {
        double value = x[i * pixels + p];
        sum += value;
        sumSquares += value * value;
      }
      double mean = sum / n;
      double std = Math.sqrt(sumSquares / n - mean * mean);
      assertEquals(mu[p], mean, 5 * s[p] / Math.sqrt(n) + meanAllowance, "mean of pixel " + p);
      assertEquals(s[p], std, s[p] * (5 / Math.sqrt(2.0 * n) + relativeStdAllowance), "std of pixel " + p);
    }
  }

  static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int j = 0; j < a.length; j++) {
      max = Math.max(max, Math.abs(a[j] - b[j]));
    }
    return max;
  }
}
