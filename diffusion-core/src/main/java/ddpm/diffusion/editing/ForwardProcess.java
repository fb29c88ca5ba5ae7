package ddpm.diffusion.editing;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The forward process at the positions of a (possibly respaced) schedule, for a whole batch (docs/math.md §4,
 * §14): q(x_k | x_0) and one step up, q(x_{k+1} | x_k). Position −1 is x_0 itself (abar = 1).
 */
final class ForwardProcess {
  private ForwardProcess() {}

  /** x_k = sqrt(abar[k]) x_0 + sqrt(1 − abar[k]) ε; x_0 itself at k = −1, where ε is not read. */
  static float[] noised(NoiseSchedule schedule, float[] x0, float[] eps, int position) {
    if (position < 0) {
      return x0.clone();
    }
    double signal = schedule.sqrtAlphasCumprod()[position];
    double noise = schedule.sqrtOneMinusAlphasCumprod()[position];
    float[] out = new float[x0.length];
    for (int j = 0; j < x0.length; j++) {
      out[j] = (float) (signal * x0[j] + noise * eps[j]);
    }
    return out;
  }

  /**
   * x_{k+1} = sqrt(alpha[k+1]) x_k + sqrt(beta[k+1]) z, the step of q between neighbouring positions (on a
   * respaced schedule alpha[k+1] = abar[k+1]/abar[k], with abar = 1 at position −1).
   */
  static float[] up(NoiseSchedule schedule, float[] x, int position, double[] z) {
    int next = position + 1;
    double keep = Math.sqrt(schedule.alphas()[next]);
    double noise = Math.sqrt(schedule.betas()[next]);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (float) (keep * x[j] + noise * z[j]);
    }
    return out;
  }

  static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int j = 0; j < values.length; j++) {
      out[j] = (float) values[j];
    }
    return out;
  }
}
