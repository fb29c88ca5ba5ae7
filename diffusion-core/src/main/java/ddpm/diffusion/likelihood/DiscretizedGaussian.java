package ddpm.diffusion.likelihood;

/**
 * Ho et al.'s decoder (§3.3, eq. 13): the likelihood of 8-bit data under a Gaussian of mean μ and variance σ²
 * discretised to the pixel values' bins. Pixel value p, at x = p/127.5 − 1 in model scale (docs/math.md §3),
 * owns the bin [x − 1/255, x + 1/255], except that the bin of 0 reaches down to −∞ and that of 255 up to +∞, so
 * the 256 bins hold the whole probability.
 */
public final class DiscretizedGaussian {
  /** Half a bin's width in model scale: 1/255. */
  private static final double HALF_BIN = 1.0 / 255;

  private DiscretizedGaussian() {}

  /**
   * log P(pixel value p) under N(mean, variance) discretised: log(Φ(b) − Φ(a)), a and b the standardised bin
   * edges. The difference is taken in the tail on the bin's side of the mean and in logs, so a bin far from the
   * mean keeps its (tiny) probability instead of rounding to 0.
   */
  public static double logProbability(int pixel, double mean, double variance) {
    if (pixel < 0 || pixel > 255) {
      throw new IllegalArgumentException("pixel must be in [0, 255], got " + pixel);
    }
    if (!(variance > 0)) {
      throw new IllegalArgumentException("variance must be > 0, got " + variance);
    }
    double sigma = Math.sqrt(variance);
    double x = pixel / 127.5 - 1;
    double a = pixel == 0 ? Double.NEGATIVE_INFINITY : (x - HALF_BIN - mean) / sigma;
    double b = pixel == 255 ? Double.POSITIVE_INFINITY : (x + HALF_BIN - mean) / sigma;
    if (a >= 0) {
      // Above the mean: Φ(−a) − Φ(−b), both upper tails.
      return difference(NormalCdf.logCdf(-a), NormalCdf.logCdf(-b));
    }
    if (b <= 0) {
      return difference(NormalCdf.logCdf(b), NormalCdf.logCdf(a));
    }
    // The bin holds the mean: 1 − Φ(a) − Φ(−b), both at most 1/2.
    return Math.log1p(-(Math.exp(NormalCdf.logCdf(a)) + Math.exp(NormalCdf.logCdf(-b))));
  }

  /** log(e^larger − e^smaller) for larger ≥ smaller. */
  private static double difference(double logLarger, double logSmaller) {
    return logLarger + Math.log(-Math.expm1(logSmaller - logLarger));
  }
}
