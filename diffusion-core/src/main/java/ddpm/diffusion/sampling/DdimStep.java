package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One DDIM step (docs/math.md §6) from position k to k−1, with abar_prev = 1 after the last:
 * x ← sqrt(abar_prev) · x0_hat + sqrt(1 − abar_prev − σ²) · ε + σ z, with
 * σ = η · sqrt((1 − abar_prev)/(1 − abar)) · sqrt(1 − abar/abar_prev). η = 0 is deterministic; η = 1 on the
 * full schedule is ancestral sampling with the posterior variance.
 */
public final class DdimStep implements ReverseStep {
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] sqrtAlphasCumprodPrev;
  private final double[] epsCoefs;
  private final double[] sigmas;
  private final boolean clipX0;

  /**
   * @param eta η in [0, 1] (field "eta")
   * @param clipX0 clip x0_hat to [−1, 1]; ε is then re-derived from the clipped x0_hat, so that both terms
   *     of the update describe the same clean image
   */
  public DdimStep(NoiseSchedule schedule, double eta, boolean clipX0) {
    checkEta(eta);
    this.clipX0 = clipX0;
    sqrtAlphasCumprod = schedule.sqrtAlphasCumprod();
    sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    double[] abar = schedule.alphasCumprod();
    double[] abarPrev = schedule.alphasCumprodPrev();
    int steps = abar.length;
    sqrtAlphasCumprodPrev = schedule.sqrtAlphasCumprodPrev();
    epsCoefs = new double[steps];
    sigmas = new double[steps];
    for (int k = 0; k < steps; k++) {
      double variance = eta * eta * (1 - abarPrev[k]) / (1 - abar[k]) * (1 - abar[k] / abarPrev[k]);
      sigmas[k] = Math.sqrt(variance);
      // 1 − abar_prev − σ² is ≥ 0 in exact arithmetic (0 at η = 1 and k = 0); rounding must not make it NaN.
      epsCoefs[k] = Math.sqrt(Math.max(0, 1 - abarPrev[k] - variance));
    }
  }

  /** Refuses an η outside [0, 1], NaN included, naming the request field. */
  static void checkEta(double eta) {
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
    }
  }

  /** σ_k, a standard deviation; 0 at k = 0 and for η = 0. */
  public double sigma(int k) {
    return sigmas[k];
  }

  @Override
  public boolean addsNoise(int k) {
    return sigmas[k] > 0;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z) {
    boolean noisy = addsNoise(k);
    StepMath.checkLengths(x, eps, k, z, noisy);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      double x0Hat = StepMath.x0Hat(x[j], eps[j], sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k], clipX0);
      double epsHat =
          clipX0 ? StepMath.epsOf(x[j], x0Hat, sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k]) : eps[j];
      double next = sqrtAlphasCumprodPrev[k] * x0Hat + epsCoefs[k] * epsHat;
      out[j] = (float) (noisy ? next + sigmas[k] * z[j] : next);
    }
    return out;
  }
}
