package ddpm.diffusion.exact;

import ddpm.diffusion.guidance.ClassConditioning;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;

/**
 * A labelled data set of Gaussian classes and its optimal class-conditional ε (docs/math.md §7): class k has prior
 * π_k and images of independent pixels x_0 ~ N(μ_k, s_k²). Label k in [0, K) asks for class k, whose ε* is
 * {@link ExactEps#gaussian}'s; the null label K asks for no class, whose ε* is the mixture's, E[ε | x_i] =
 * Σ_k P(k | x_i)·ε*_k(x_i, i). Labels are the extra input {@value ClassConditioning#LABEL_INPUT}, one per image, as a
 * class-conditional network takes them, so guidance and the serving path can be tested against the closed form.
 */
public final class GaussianClasses implements EpsModel {
  private final double[] alphasCumprod;
  private final int pixelsPerImage;
  private final double[] means;
  private final double[] stds;
  private final double[] logPriors;
  private final ExactEps[] classes;

  /**
   * @param full the full schedule (the model is called with network timesteps)
   * @param means μ_k of every pixel of class k
   * @param stds s_k &gt; 0 of every pixel of class k
   * @param priors π_k &gt; 0, normalised here
   */
  public GaussianClasses(NoiseSchedule full, int pixelsPerImage, double[] means, double[] stds, double[] priors) {
    if (means.length < 2 || stds.length != means.length || priors.length != means.length) {
      throw new IllegalArgumentException("means, stds, priors: need two or more classes, one value each, got "
          + means.length + ", " + stds.length + ", " + priors.length);
    }
    double total = Arrays.stream(priors).sum();
    this.alphasCumprod = full.alphasCumprod();
    this.pixelsPerImage = pixelsPerImage;
    this.means = means.clone();
    this.stds = stds.clone();
    this.logPriors = new double[priors.length];
    this.classes = new ExactEps[means.length];
    for (int k = 0; k < means.length; k++) {
      if (!(stds[k] > 0) || !(priors[k] > 0)) {
        throw new IllegalArgumentException("stds, priors: class " + k + " needs s > 0 and π > 0, got "
            + stds[k] + ", " + priors[k]);
      }
      logPriors[k] = Math.log(priors[k] / total);
      classes[k] = ExactEps.gaussian(full, filled((float) means[k]), filled((float) stds[k]));
    }
  }

  /** Equally likely classes. */
  public static GaussianClasses equallyLikely(NoiseSchedule full, int pixelsPerImage, double[] means,
      double[] stds) {
    double[] priors = new double[means.length];
    Arrays.fill(priors, 1);
    return new GaussianClasses(full, pixelsPerImage, means, stds, priors);
  }

  /** K, the number of classes; also the null label. */
  public int numClasses() {
    return means.length;
  }

  /** The mean of the whole data set, Σ_k π_k μ_k. */
  public double mean() {
    double mean = 0;
    for (int k = 0; k < means.length; k++) {
      mean += Math.exp(logPriors[k]) * means[k];
    }
    return mean;
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    throw new IllegalArgumentException(
        "Gaussian classes need their labels as the extra input " + ClassConditioning.LABEL_INPUT);
  }

  @Override
  public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
    if (!inputs.asMap().containsKey(ClassConditioning.LABEL_INPUT)) {
      return predict(xt, t);
    }
    int[] y = inputs.asMap().get(ClassConditioning.LABEL_INPUT).ints();
    if (y.length != t.length || (long) t.length * pixelsPerImage != xt.length) {
      throw new IllegalArgumentException("x_t has " + xt.length + " values, t " + t.length + " and y " + y.length
          + " images of " + pixelsPerImage);
    }
    float[] eps = new float[xt.length];
    for (int n = 0; n < t.length; n++) {
      float[] row = Arrays.copyOfRange(xt, n * pixelsPerImage, (n + 1) * pixelsPerImage);
      int[] step = {t[n]};
      float[] rowEps;
      if (y[n] >= 0 && y[n] < numClasses()) {
        rowEps = classes[y[n]].predict(row, step);
      } else if (y[n] == numClasses()) {
        rowEps = mixture(row, step);
      } else {
        throw new IllegalArgumentException("y[" + n + "] must be in [0, " + numClasses() + "], got " + y[n]);
      }
      System.arraycopy(rowEps, 0, eps, n * pixelsPerImage, pixelsPerImage);
    }
    return eps;
  }

  /** Σ_k P(k | x)·ε*_k(x) for one image x at one step. */
  private float[] mixture(float[] x, int[] step) {
    double[] posterior = posterior(x, alphasCumprod[step[0]]);
    double[] sum = new double[x.length];
    for (int k = 0; k < classes.length; k++) {
      float[] eps = classes[k].predict(x, step);
      for (int p = 0; p < x.length; p++) {
        sum[p] += posterior[k] * eps[p];
      }
    }
    float[] out = new float[x.length];
    for (int p = 0; p < x.length; p++) {
      out[p] = (float) sum[p];
    }
    return out;
  }

  /** P(k | x_i = x) ∝ π_k · N(x; √ᾱ·μ_k, ᾱ·s_k² + 1 − ᾱ) over every pixel, computed in logs. */
  private double[] posterior(float[] x, double abar) {
    double[] log = new double[classes.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes.length; k++) {
      double variance = abar * stds[k] * stds[k] + 1 - abar;
      double squares = 0;
      for (float value : x) {
        double d = value - Math.sqrt(abar) * means[k];
        squares += d * d;
      }
      log[k] = logPriors[k] - 0.5 * x.length * Math.log(variance) - squares / (2 * variance);
      max = Math.max(max, log[k]);
    }
    double total = 0;
    for (int k = 0; k < log.length; k++) {
      log[k] = Math.exp(log[k] - max);
      total += log[k];
    }
    for (int k = 0; k < log.length; k++) {
      log[k] /= total;
    }
    return log;
  }

  private float[] filled(float value) {
    float[] out = new float[pixelsPerImage];
    Arrays.fill(out, value);
    return out;
  }
}
