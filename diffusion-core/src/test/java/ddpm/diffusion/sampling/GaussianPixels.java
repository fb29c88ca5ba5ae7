package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * Data of independent pixels, pixel p ~ N(μ_p, s_p²), with μ spread over [−0.6, 0.6] and s over
 * [sMin, sMax], and the checks a sampler driven by its exact ε must pass.
 */
final class GaussianPixels {
  final ImageShape shape;
  final float[] mu;
  final float[] s;

  GaussianPixels(ImageShape shape, float sMin, float sMax) {
    this.shape = shape;
    int pixels = shape.size();
    mu = new float[pixels];
    s = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      mu[p] = -0.6f + 1.2f * p / (pixels - 1);
      s[p] = sMin + (sMax - sMin) * ((p * 7) % pixels) / (pixels - 1);
    }
  }

  ExactEps eps(NoiseSchedule full) {
    return ExactEps.gaussian(full, mu, s);
  }

  /**
   * Each pixel's sample mean is μ_p within 5 standard errors (s_p/sqrt(N)) plus {@code meanAllowance}; the
   * residuals standardised by the true μ_p and s_p, pooled over n = N · pixels draws, have mean 0 within
   * 5/sqrt(n) + meanAllowance/min(s) and standard deviation 1 within 5/sqrt(2n) + {@code relativeStdAllowance}.
   * The allowances are the discretisation error of the sampler under test, in units of s_p for the std.
   */
  void assertSampled(float[] x, int images, double meanAllowance, double relativeStdAllowance) {
    int pixels = shape.size();
    double sum = 0;
    double sumSquares = 0;
    double sMin = Double.MAX_VALUE;
    for (int p = 0; p < pixels; p++) {
      sMin = Math.min(sMin, s[p]);
      double pixelSum = 0;
      for (int i = 0; i < images; i++) {
        double value = x[i * pixels + p];
        double r = (value - mu[p]) / s[p];
        sum += r;
        sumSquares += r * r;
        pixelSum += value;
      }
      assertEquals(mu[p], pixelSum / images, 5 * s[p] / Math.sqrt(images) + meanAllowance, "mean of pixel " + p);
    }
    int n = images * pixels;
    double mean = sum / n;
    double std = Math.sqrt(sumSquares / n - mean * mean);
    assertEquals(0, mean, 5 / Math.sqrt(n) + meanAllowance / sMin, "mean standardised residual");
    assertEquals(1, std, 5 / Math.sqrt(2.0 * n) + relativeStdAllowance, "std of standardised residuals");
  }

  /**
   * Where the probability-flow ODE takes x_T exactly: a flow keeps the order of values and the marginals are
   * Gaussian, N(sqrt(abar) μ, abar s² + 1 − abar), so it keeps each value's standardised position.
   */
  float[] flowOf(float[] xT, NoiseSchedule full) {
    double abar = full.alphasCumprod()[full.steps() - 1];
    int pixels = shape.size();
    float[] x0 = new float[xT.length];
    for (int j = 0; j < xT.length; j++) {
      int p = j % pixels;
      double z = (xT[j] - Math.sqrt(abar) * mu[p]) / Math.sqrt(abar * s[p] * s[p] + 1 - abar);
      x0[j] = (float) (mu[p] + s[p] * z);
    }
    return x0;
  }

  /** The largest |difference| between {@code settings} run from {@code xT} over {@code schedule} and {@code exact}. */
  double flowError(SamplerSettings settings, NoiseSchedule schedule, float[] xT, float[] exact) {
    NoiseSchedule full = NoiseSchedule.of(schedule.kind(), schedule.timesteps());
    int images = xT.length / shape.size();
    float[] x = settings.over(schedule).sample(eps(full), shape, SampleBatch.of(images, 1).withInitialNoise(xT),
        (step, total, timestep) -> { }, () -> false);
    return TestImages.maxAbsDifference(x, exact);
  }
}
