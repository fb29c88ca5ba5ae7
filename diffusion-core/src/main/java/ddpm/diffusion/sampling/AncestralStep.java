package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One step of Algorithm 2 (docs/math.md §5) from position k to k−1, element by element in float64. Both forms of the
 * update are here: the paper's direct form, and the x0_hat / posterior-mean form, which allows clipping.
 * Without clipping they agree to rounding. As a {@link ReverseStep} it takes the x0_hat form exactly when
 * clipping, so that unclipped sampling stays the paper's Algorithm 2.
 */
public final class AncestralStep implements ReverseStep {
  private final double[] betas;
  private final double[] sqrtRecipAlphas;
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] posteriorMeanCoefX0;
  private final double[] posteriorMeanCoefXt;
  private final double[] sigmas;
  private final boolean clipX0;

  /** @param clipX0 whether {@link #apply} clips x0_hat to [−1, 1] */
  public AncestralStep(NoiseSchedule schedule, VarianceKind variance, boolean clipX0) {
    this.clipX0 = clipX0;
    betas = schedule.betas();
    sqrtAlphasCumprod = schedule.sqrtAlphasCumprod();
    sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    posteriorMeanCoefX0 = schedule.posteriorMeanCoefX0();
    posteriorMeanCoefXt = schedule.posteriorMeanCoefXt();
    double[] alphas = schedule.alphas();
    sqrtRecipAlphas = new double[alphas.length];
    for (int k = 0; k < alphas.length; k++) {
      sqrtRecipAlphas[k] = 1 / Math.sqrt(alphas[k]);
    }
    sigmas = variance.variances(schedule);
    for (int k = 0; k < sigmas.length; k++) {
      sigmas[k] = Math.sqrt(sigmas[k]);
    }
  }

  /** σ_k, a standard deviation: the square root of the variance kind's σ². */
  public double sigma(int k) {
    return sigmas[k];
  }

  /** Every step but the last: Algorithm 2 adds no noise at k = 0, whatever the variance there (docs/math.md §5). */
  @Override
  public boolean addsNoise(int k) {
    return k > 0;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z) {
    return clipX0 ? viaX0(x, eps, k, z, true) : direct(x, eps, k, z);
  }

  /**
   * x ← (1/sqrt(alpha[k])) · (x − beta[k]/sqrt(1 − abar[k]) · ε) + σ_k z.
   *
   * @param z standard normal noise like {@code x}; ignored (may be null) at k = 0, where Algorithm 2 adds none
   */
  public float[] direct(float[] x, float[] eps, int k, double[] z) {
    StepMath.checkLengths(x, eps, k, z, addsNoise(k));
    double epsCoef = betas[k] / sqrtOneMinusAlphasCumprod[k];
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      double mean = sqrtRecipAlphas[k] * (x[j] - epsCoef * eps[j]);
      out[j] = withNoise(mean, k, z, j);
    }
    return out;
  }

  /**
   * x0_hat = (x − sqrt(1 − abar[k]) ε) / sqrt(abar[k]), clipped to [−1, 1] when {@code clip}; then
   * x ← coef_x0[k] · x0_hat + coef_xt[k] · x + σ_k z.
   *
   * @param z standard normal noise like {@code x}; ignored (may be null) at k = 0, where Algorithm 2 adds none
   */
  public float[] viaX0(float[] x, float[] eps, int k, double[] z, boolean clip) {
    StepMath.checkLengths(x, eps, k, z, addsNoise(k));
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      double x0Hat = StepMath.x0Hat(x[j], eps[j], sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k], clip);
      double mean = posteriorMeanCoefX0[k] * x0Hat + posteriorMeanCoefXt[k] * x[j];
      out[j] = withNoise(mean, k, z, j);
    }
    return out;
  }

  private float withNoise(double mean, int k, double[] z, int j) {
    return (float) (k == 0 ? mean : mean + sigmas[k] * z[j]);
  }
}
