package ddpm.diffusion.training;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * How much each timestep counts in the training loss (docs/math.md §4): perception-prioritised (P2) weighting,
 * Choi et al. 2022, λ_t = (k + SNR(t))^−γ with SNR(t) = ᾱ_t / (1 − ᾱ_t), scaled so that the weights average 1
 * over the T timesteps. γ = 0 gives every timestep weight 1: Ho et al.'s L_simple. γ &gt; 0 moves weight from the
 * nearly clean timesteps, which refine details, to the noisy ones, where content (and a label's class) is
 * decided; the scaling keeps the loss's size comparable with L_simple's.
 *
 * @param gamma γ, finite and ≥ 0 (field "p2_gamma")
 * @param k k, finite and &gt; 0 (field "p2_k"); it bounds the weight of the noisiest timesteps
 */
public record LossWeighting(double gamma, double k) {
  /** k = 1, Choi et al.'s choice for every data set they trained on. */
  public static final double DEFAULT_K = 1;
  /** L_simple: every timestep weighs the same. */
  public static final LossWeighting UNIFORM = new LossWeighting(0, DEFAULT_K);

  public LossWeighting {
    if (!(gamma >= 0 && gamma < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("p2_gamma: must be finite and ≥ 0 (0: L_simple), got " + gamma);
    }
    if (!(k > 0 && k < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("p2_k: must be finite and > 0, got " + k);
    }
  }

  public boolean isUniform() {
    return gamma == 0;
  }

  /** λ_t for t = 0..T−1 of a full schedule, averaging 1. */
  public double[] weights(NoiseSchedule schedule) {
    if (schedule.steps() != schedule.timesteps()) {
      throw new IllegalArgumentException("loss weights need the full schedule, got " + schedule);
    }
    double[] alphasCumprod = schedule.alphasCumprod();
    double[] weights = new double[alphasCumprod.length];
    double sum = 0;
    for (int t = 0; t < weights.length; t++) {
      double snr = alphasCumprod[t] / (1 - alphasCumprod[t]);
      weights[t] = Math.pow(k + snr, -gamma);
      sum += weights[t];
    }
    double mean = sum / weights.length;
    for (int t = 0; t < weights.length; t++) {
      weights[t] /= mean;
    }
    return weights;
  }
}
