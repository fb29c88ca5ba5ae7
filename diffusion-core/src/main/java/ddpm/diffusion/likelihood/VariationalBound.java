package ddpm.diffusion.likelihood;

import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.List;

/**
 * The terms of Ho et al.'s variational bound (eq. 5) for one image, in nats, on the full schedule of a model
 * (docs/math.md §13). Indexed by the network timestep i: term i = 0 is the decoder L_0, term i ≥ 1 is
 * L_i = KL(q(x_{i−1} | x_i, x_0) ‖ p_θ(x_{i−1} | x_i)) (the papers' L_{t−1} at t = i + 1), and the prior L_T
 * stands apart. One ε serves every variance choice: only σ² differs between them.
 */
public final class VariationalBound {
  private final List<VarianceKind> variances;
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] coefX0;
  private final double[] posteriorVariance;
  /** Per variance choice and timestep: σ². */
  private final double[][] sigma2;
  /** The decoder's σ² (both choices): β̃ at timestep 1, as Ho et al.'s and improved-diffusion's code take it. */
  private final double decoderVariance;
  private final double priorAlphaCumprod;

  /** @param full the model's full schedule (K = T), since every timestep of it is a term */
  public VariationalBound(NoiseSchedule full, List<VarianceKind> variances) {
    if (full.steps() != full.timesteps()) {
      throw new IllegalArgumentException("the bound needs the model's full schedule, got " + full);
    }
    checkVariances(variances);
    this.variances = List.copyOf(variances);
    sqrtAlphasCumprod = full.sqrtAlphasCumprod();
    sqrtOneMinusAlphasCumprod = full.sqrtOneMinusAlphasCumprod();
    coefX0 = full.posteriorMeanCoefX0();
    posteriorVariance = full.posteriorVariance();
    sigma2 = variances.stream().map(v -> v.variances(full)).toArray(double[][]::new);
    decoderVariance = Math.exp(full.posteriorLogVarianceClipped()[0]);
    priorAlphaCumprod = full.alphasCumprod()[full.steps() - 1];
  }

  /** IllegalArgumentException naming the field "variances" unless it names at least one choice, each once. */
  public static void checkVariances(List<VarianceKind> variances) {
    if (variances.isEmpty() || variances.stream().distinct().count() != variances.size()) {
      throw new IllegalArgumentException("variances must name each variance at most once, got " + variances);
    }
  }

  public List<VarianceKind> variances() {
    return variances;
  }

  /** T: the number of terms besides the prior. */
  public int timesteps() {
    return coefX0.length;
  }

  /** x_i = √ᾱ[i]·x_0 + √(1 − ᾱ[i])·z (docs/math.md §4), as the float32 the network takes. */
  public float noised(double x0, double z, int timestep) {
    return (float) (sqrtAlphasCumprod[timestep] * x0 + sqrtOneMinusAlphasCumprod[timestep] * z);
  }

  /** L_T = KL(q(x_T | x_0) ‖ N(0, I)), summed over the image's values x0. */
  public double priorNats(double[] x0) {
    double variance = 1 - priorAlphaCumprod;
    double perValue = 0.5 * (-Math.log(variance) + variance - 1);
    double sum = 0;
    for (double x : x0) {
      sum += perValue + 0.5 * priorAlphaCumprod * x * x;
    }
    return sum;
  }

  /**
   * The terms of one image at {@code timestep}: x_t was formed from its values x0 (and, for the pixel
   * values, {@code pixels}) with the noise {@code z}, and ε_θ(x_t, timestep) is {@code eps}; each array holds the
   * image's D values from {@code offset}.
   */
  public Terms terms(byte[] pixels, double[] x0, double[] z, float[] xt, float[] eps, int offset, int timestep) {
    int d = x0.length;
    double sqrtAbar = sqrtAlphasCumprod[timestep];
    double sqrtOneMinusAbar = sqrtOneMinusAlphasCumprod[timestep];
    double x0Error = 0;
    double epsError = 0;
    double decoder = 0;
    for (int j = 0; j < d; j++) {
      double e = eps[offset + j];
      double x0Hat = (xt[offset + j] - sqrtOneMinusAbar * e) / sqrtAbar;
      x0Error += (x0[j] - x0Hat) * (x0[j] - x0Hat);
      epsError += (z[j] - e) * (z[j] - e);
      if (timestep == 0) {
        // μ_θ at timestep 0 is x0_hat: the posterior's coefficients there are 1 and 0.
        decoder -= DiscretizedGaussian.logProbability(pixels[j] & 0xFF, x0Hat, decoderVariance);
      }
    }
    double[] nats = new double[variances.size()];
    for (int v = 0; v < nats.length; v++) {
      nats[v] = timestep == 0 ? decoder : kl(d, x0Error, timestep, sigma2[v][timestep]);
    }
    return new Terms(nats, epsError / d, x0Error / d);
  }

  /**
   * KL of N(μ_q, β̃) from N(μ_θ, σ²) summed over d values, where μ_q − μ_θ = coef_x0·(x_0 − x0_hat) (the x_t
   * parts of the two means cancel) and {@code x0Error} is Σ (x_0 − x0_hat)².
   */
  private double kl(int d, double x0Error, int timestep, double sigma2) {
    double posterior = posteriorVariance[timestep];
    double coef = coefX0[timestep];
    return 0.5 * d * (Math.log(sigma2 / posterior) + posterior / sigma2 - 1) + 0.5 * coef * coef * x0Error / sigma2;
  }

  /**
   * One image's terms at one timestep: nats per variance choice (in {@link #variances()}'s order), and the mean
   * squared errors of ε_θ against the noise drawn and of x0_hat against x_0, per value.
   */
  public record Terms(double[] nats, double epsMse, double x0Mse) {}
}
