package ddpm.diffusion.exact;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The optimal ε for data distributions where it has a closed form (docs/math.md §7): a sampler driven by one of these
 * must reproduce the distribution, so samplers and their transport can be tested without a trained network.
 */
public final class ExactEps implements EpsModel {
  /** ε* of one pixel value x of pixel {@code pixel} at a noise level abar. */
  @FunctionalInterface
  private interface PixelRule {
    double eps(double x, int pixel, double abar);
  }

  private final double[] alphasCumprod;
  private final int pixelsPerImage;
  private final PixelRule rule;

  private ExactEps(NoiseSchedule full, int pixelsPerImage, PixelRule rule) {
    if (full.steps() != full.timesteps()) {
      throw new IllegalArgumentException(
          "an exact denoiser takes network timesteps, so it needs the full schedule, got " + full);
    }
    this.alphasCumprod = full.alphasCumprod();
    this.pixelsPerImage = pixelsPerImage;
    this.rule = rule;
  }

  /** Data that is always {@code x0}: ε*(x, i) = (x − sqrt(abar[i]) x0) / sqrt(1 − abar[i]). */
  public static ExactEps pointMass(NoiseSchedule full, float[] x0) {
    float[] point = x0.clone();
    return new ExactEps(full, point.length,
        (x, pixel, abar) -> (x - Math.sqrt(abar) * point[pixel]) / Math.sqrt(1 - abar));
  }

  /**
   * Independent pixels, pixel p ~ N(mean[p], std[p]²):
   * ε*(x, i) = sqrt(1 − abar[i]) (x − sqrt(abar[i]) μ) / (abar[i] s² + 1 − abar[i]).
   */
  public static ExactEps gaussian(NoiseSchedule full, float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("mean has " + mean.length + " pixels, std has " + std.length);
    }
    float[] mu = mean.clone();
    float[] s = std.clone();
    return new ExactEps(full, mu.length, (x, pixel, abar) -> Math.sqrt(1 - abar)
        * (x - Math.sqrt(abar) * mu[pixel]) / (abar * s[pixel] * s[pixel] + 1 - abar));
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    if ((long) t.length * pixelsPerImage != xt.length) {
      throw new IllegalArgumentException(
          "x_t has " + xt.length + " values, not " + t.length + " images of " + pixelsPerImage);
    }
    float[] eps = new float[xt.length];
    for (int i = 0; i < t.length; i++) {
      if (t[i] < 0 || t[i] >= alphasCumprod.length) {
        throw new IllegalArgumentException(
            "t[" + i + "] must be in [0, " + (alphasCumprod.length - 1) + "], got " + t[i]);
      }
      double abar = alphasCumprod[t[i]];
      int offset = i * pixelsPerImage;
      for (int p = 0; p < pixelsPerImage; p++) {
        eps[offset + p] = (float) rule.eps(xt[offset + p], p, abar);
      }
    }
    return eps;
  }
}
