package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * k-diffusion's Euler ancestral step in the σ-parameterisation (docs/math.md §12), from position k to k−1:
 * σ_up = min(σ_next, sqrt(σ_next² (σ² − σ_next²)/σ²)), σ_down = sqrt(σ_next² − σ_up²), then
 * x̃ ← x̃ + (σ_down − σ) ε + σ_up z: an Euler step down to σ_down and fresh noise back up to σ_next. Its variance
 * is DDIM's at η = 1, so without clipping it equals DDIM with η = 1 to rounding. The last step adds no noise.
 */
public final class EulerAncestralStep implements ReverseStep {
  private final SigmaParameterisation sigmas;
  private final double[] sigmasUp;
  private final double[] sigmasDown;

  /** @param clipX0 clip x0_hat to [−1, 1] and step along the slope the clipped x0_hat implies */
  public EulerAncestralStep(NoiseSchedule schedule, boolean clipX0) {
    sigmas = new SigmaParameterisation(schedule, clipX0);
    int steps = schedule.steps();
    sigmasUp = new double[steps];
    sigmasDown = new double[steps];
    for (int k = 0; k < steps; k++) {
      double sigma = sigmas.sigma(k);
      double next = sigmas.sigmaNext(k);
      sigmasUp[k] = Math.min(next, Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma)));
      sigmasDown[k] = Math.sqrt(next * next - sigmasUp[k] * sigmasUp[k]);
    }
  }

  /** Every step but the last, where σ_next = 0 and so σ_up = 0. */
  @Override
  public boolean addsNoise(int k) {
    return k > 0;
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z) {
    boolean noisy = addsNoise(k);
    StepMath.checkLengths(x, eps, k, z, noisy);
    double h = sigmasDown[k] - sigmas.sigma(k);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      double next = sigmas.scaled(x[j], k) + h * sigmas.slope(x[j], eps[j], k);
      out[j] = sigmas.unscaledNext(noisy ? next + sigmasUp[k] * z[j] : next, k);
    }
    return out;
  }
}
