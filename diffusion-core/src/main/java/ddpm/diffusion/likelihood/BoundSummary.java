package ddpm.diffusion.likelihood;

import ddpm.diffusion.sampling.VarianceKind;
import java.util.List;

/**
 * The bound of a set of images under one variance, as a bits/dim table reports it: the mean over the images, its
 * standard error (the images' sample standard deviation over √n; NaN for one image), and the mean of each part:
 * the prior L_T, the decoder L_0, the sum of the KL terms, and each term by timestep (Nichol &amp; Dhariwal's Fig. 2).
 */
public record BoundSummary(VarianceKind variance, int images, double bitsPerDim, double standardError, double prior,
    double decoder, double klSum, double[] terms) {

  /** The summary of {@code bounds}, at least one, all under one variance and of one length. */
  public static BoundSummary of(List<ImageBound> bounds) {
    if (bounds.isEmpty()) {
      throw new IllegalArgumentException("a summary needs at least one image");
    }
    VarianceKind variance = bounds.get(0).variance();
    int timesteps = bounds.get(0).terms().length;
    int n = bounds.size();
    double[] terms = new double[timesteps];
    double total = 0;
    double prior = 0;
    double decoder = 0;
    double klSum = 0;
    for (ImageBound bound : bounds) {
      if (bound.variance() != variance || bound.terms().length != timesteps) {
        throw new IllegalArgumentException("bounds under " + bound.variance() + " with " + bound.terms().length
            + " terms cannot join bounds under " + variance + " with " + timesteps);
      }
      total += bound.total() / n;
      prior += bound.prior() / n;
      decoder += bound.decoder() / n;
      klSum += bound.klSum() / n;
      for (int t = 0; t < timesteps; t++) {
        terms[t] += bound.terms()[t] / n;
      }
    }
    double squares = 0;
    for (ImageBound bound : bounds) {
      squares += (bound.total() - total) * (bound.total() - total);
    }
    double standardError = n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1) / n);
    return new BoundSummary(variance, n, total, standardError, prior, decoder, klSum, terms);
  }
}
