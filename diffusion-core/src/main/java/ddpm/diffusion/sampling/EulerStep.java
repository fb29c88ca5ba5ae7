package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * One Euler step of the probability-flow ODE dx̃/dσ = ε in Karras et al.'s σ-parameterisation (docs/math.md §12),
 * from position k to k−1: x̃ ← x̃ + (σ_next − σ) ε. Without clipping it is DDIM with η = 0 written in other
 * variables, equal to rounding. Deterministic given x_T.
 */
public final class EulerStep implements ReverseStep {
  private final SigmaParameterisation sigmas;

  /** @param clipX0 clip x0_hat to [−1, 1] and step along the slope the clipped x0_hat implies */
  public EulerStep(NoiseSchedule schedule, boolean clipX0) {
    sigmas = new SigmaParameterisation(schedule, clipX0);
  }

  @Override
  public boolean addsNoise(int k) {
    return false;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z) {
    StepMath.checkLengths(x, eps, k, z, false);
    double h = sigmas.sigmaNext(k) - sigmas.sigma(k);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = sigmas.unscaledNext(sigmas.scaled(x[j], k) + h * sigmas.slope(x[j], eps[j], k), k);
    }
    return out;
  }
}
