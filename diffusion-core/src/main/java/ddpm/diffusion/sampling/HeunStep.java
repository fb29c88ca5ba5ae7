package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One step of Heun's second-order method on dx̃/dσ = ε (Karras et al. 2022, Algorithm 1 without churn;
 * docs/math.md §12), from position k to k−1: the Euler step x̃' = x̃ + h d with h = σ_next − σ, then a second
 * ε_θ call at x' (position k−1, a timestep of the schedule) and x̃ ← x̃ + h (d + d')/2. The last step, to σ = 0,
 * is the Euler step alone, as in Karras et al. So K positions cost 2K − 1 calls. Deterministic given x_T.
 */
public final class HeunStep implements MultiCallStep {
  private final SigmaParameterisation sigmas;

  /** @param clipX0 clip each x0_hat to [−1, 1] and use the slope the clipped x0_hat implies */
  public HeunStep(NoiseSchedule schedule, boolean clipX0) {
    sigmas = new SigmaParameterisation(schedule, clipX0);
  }

  @Override
  public boolean addsNoise(int k) {
    return false;
  }

  @Override
  public int extraCalls(int k) {
    return k > 0 ? 1 : 0;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z, ModelCalls calls) {
    StepMath.checkLengths(x, eps, k, z, false);
    double h = sigmas.sigmaNext(k) - sigmas.sigma(k);
    double[] slopes = new double[x.length];
    float[] euler = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      slopes[j] = sigmas.slope(x[j], eps[j], k);
      euler[j] = sigmas.unscaledNext(sigmas.scaled(x[j], k) + h * slopes[j], k);
    }
    if (k == 0) {
      return euler;
    }
    float[] epsNext = calls.eps(euler, k - 1);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      double slopeNext = sigmas.slope(euler[j], epsNext[j], k - 1);
      out[j] = sigmas.unscaledNext(sigmas.scaled(x[j], k) + h * (slopes[j] + slopeNext) / 2, k);
    }
    return out;
  }
}
