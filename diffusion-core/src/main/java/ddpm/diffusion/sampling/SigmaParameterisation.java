package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The σ-parameterisation of Karras et al. 2022 over a schedule's positions (docs/math.md §12): x̃ = x/sqrt(abar)
 * and σ = sqrt((1 − abar)/abar), so that x̃ = x_0 + σ ε and the probability-flow ODE is dx̃/dσ = ε. Position k
 * is at σ_k and its step goes to σ_next = σ_{k−1}, 0 after k = 0 (abar_prev = 1), where x̃ is x_0.
 */
final class SigmaParameterisation {
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] sqrtAlphasCumprodPrev;
  private final double[] sigmas;
  private final double[] sigmasNext;
  private final boolean clipX0;

  /** @param clipX0 clip x0_hat to [−1, 1] and take the slope that the clipped x0_hat implies */
  SigmaParameterisation(NoiseSchedule schedule, boolean clipX0) {
    this.clipX0 = clipX0;
    sqrtAlphasCumprod = schedule.sqrtAlphasCumprod();
    sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    double[] abar = schedule.alphasCumprod();
    double[] abarPrev = schedule.alphasCumprodPrev();
    int steps = abar.length;
    sqrtAlphasCumprodPrev = schedule.sqrtAlphasCumprodPrev();
    sigmas = new double[steps];
    sigmasNext = new double[steps];
    for (int k = 0; k < steps; k++) {
      sigmas[k] = Math.sqrt((1 - abar[k]) / abar[k]);
      sigmasNext[k] = Math.sqrt((1 - abarPrev[k]) / abarPrev[k]);
    }
  }

  /** σ at position k. */
  double sigma(int k) {
    return sigmas[k];
  }

  /** σ where step k goes: position k−1's, 0 after k = 0. */
  double sigmaNext(int k) {
    return sigmasNext[k];
  }

  /** x̃ = x / sqrt(abar) at position k. */
  double scaled(double x, int k) {
    return x / sqrtAlphasCumprod[k];
  }

  /** x = sqrt(abar_prev) x̃ where step k goes. */
  float unscaledNext(double xTilde, int k) {
    return (float) (sqrtAlphasCumprodPrev[k] * xTilde);
  }

  /**
   * dx̃/dσ = (x̃ − x0_hat)/σ at position k: ε itself, or with clipping the ε that the clipped x0_hat implies
   * (Karras et al.'s d = (x − D(x; σ))/σ with D the clipped x0_hat).
   */
  double slope(double x, double eps, int k) {
    if (!clipX0) {
      return eps;
    }
    double x0Hat = StepMath.x0Hat(x, eps, sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k], true);
    return StepMath.epsOf(x, x0Hat, sqrtAlphasCumprod[k], sqrtOneMinusAlphasCumprod[k]);
  }
}
