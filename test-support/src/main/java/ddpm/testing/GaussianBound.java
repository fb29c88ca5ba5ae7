package ddpm.testing;

import java.util.Arrays;

/**
 * Ho et al.'s variational bound (eq. 5) of one 8-bit image, for data whose every value is N(mean, std²) and with
 * that data's exact ε (docs/math.md §7, §13), in float64 straight from the papers' formulas, in bits per
 * dimension. Written apart from diffusion-core's likelihood package, to check it: ᾱ is its own product of the
 * betas, μ_θ is Ho et al.'s eq. 11, μ̃ their eq. 7 (both means in full, not their difference), and the decoder's
 * bin probabilities are Simpson's rule on the Gaussian density instead of its CDF.
 */
public final class GaussianBound {
  private static final int SIMPSON_INTERVALS = 20_000;

  private GaussianBound() {}

  /** The prior L_T and the terms by network timestep (term 0 the decoder), in bits per dimension. */
  public record Terms(double prior, double[] terms) {
    public double total() {
      return prior + Arrays.stream(terms).sum();
    }
  }

  /**
   * @param noise noise[i]: the standard normal values x_i was formed with at network timestep i, one per value
   * @param fixedLarge σ² = β at every timestep ≥ 1 if true, else the posterior variance β̃
   */
  public static Terms of(double[] betas, double mean, double std, byte[] pixels, double[][] noise,
      boolean fixedLarge) {
    int steps = betas.length;
    int d = pixels.length;
    double[] abar = new double[steps];
    double product = 1;
    for (int i = 0; i < steps; i++) {
      product *= 1 - betas[i];
      abar[i] = product;
    }
    double[] x0 = new double[d];
    for (int j = 0; j < d; j++) {
      x0[j] = (pixels[j] & 0xFF) / 127.5 - 1;
    }
    double bits = 1 / (d * Math.log(2));
    double prior = 0;
    double last = abar[steps - 1];
    for (double x : x0) {
      prior += kl(Math.sqrt(last) * x, 1 - last, 0, 1);
    }
    double[] terms = new double[steps];
    for (int i = 0; i < steps; i++) {
      double a = abar[i];
      double abarPrev = i == 0 ? 1 : abar[i - 1];
      double alpha = 1 - betas[i];
      double posteriorVariance = betas[i] * (1 - abarPrev) / (1 - a);
      double sigma2 = fixedLarge ? betas[i] : posteriorVariance;
      double nats = 0;
      for (int j = 0; j < d; j++) {
        double xt = Math.sqrt(a) * x0[j] + Math.sqrt(1 - a) * noise[i][j];
        double eps = Math.sqrt(1 - a) * (xt - Math.sqrt(a) * mean) / (a * std * std + 1 - a);
        double modelMean = (xt - betas[i] / Math.sqrt(1 - a) * eps) / Math.sqrt(alpha);
        if (i == 0) {
          // Ho et al.'s and improved-diffusion's code give the decoder β̃ at timestep 1, whichever σ².
          double decoderVariance = betas[1] * (1 - abar[0]) / (1 - abar[1]);
          nats -= Math.log(binProbability(pixels[j] & 0xFF, modelMean, Math.sqrt(decoderVariance)));
        } else {
          double posteriorMean = betas[i] * Math.sqrt(abarPrev) / (1 - a) * x0[j]
              + Math.sqrt(alpha) * (1 - abarPrev) / (1 - a) * xt;
          nats += kl(posteriorMean, posteriorVariance, modelMean, sigma2);
        }
      }
      terms[i] = nats * bits;
    }
    return new Terms(prior * bits, terms);
  }

  /** KL(N(m1, v1) ‖ N(m2, v2)). */
  private static double kl(double m1, double v1, double m2, double v2) {
    return 0.5 * (Math.log(v2 / v1) + v1 / v2 + (m1 - m2) * (m1 - m2) / v2 - 1);
  }

  /**
   * The integral of the density of N(mean, sigma²) over pixel value p's bin (docs/math.md §13), open at 0 and 255
   * (cut 40σ beyond the mean, where the density is below 1e-340), by composite Simpson's rule on 20,000 intervals.
   */
  public static double binProbability(int p, double mean, double sigma) {
    double x = p / 127.5 - 1;
    double low = p == 0 ? Math.min(x, mean) - 40 * sigma : x - 1.0 / 255;
    double high = p == 255 ? Math.max(x, mean) + 40 * sigma : x + 1.0 / 255;
    double h = (high - low) / SIMPSON_INTERVALS;
    double sum = density(low, mean, sigma) + density(high, mean, sigma);
    for (int k = 1; k < SIMPSON_INTERVALS; k++) {
      sum += (k % 2 == 1 ? 4 : 2) * density(low + k * h, mean, sigma);
    }
    return sum * h / 3;
  }

  private static double density(double x, double mean, double sigma) {
    double u = (x - mean) / sigma;
    return Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI));
  }
}
