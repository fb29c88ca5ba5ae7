package ddpm.diffusion.schedule;

/** Fewer steps by keeping a subset of the indices (docs/math.md §6, improved-diffusion's respace.py). */
final class Respacing {
  private Respacing() {}

  /**
   * K indices evenly spaced over [0, T−1], rounded to the nearest integer, always including T−1 (so x_T is
   * still pure noise) and, for K ≥ 2, 0 (so the last step still denoises fully). The spacing (T−1)/(K−1) is
   * at least 1 when K ≤ T, so the indices are strictly increasing. K = 1 keeps only T−1.
   */
  static int[] keptIndices(int timesteps, int steps) {
    int[] kept = new int[steps];
    if (steps == 1) {
      kept[0] = timesteps - 1;
      return kept;
    }
    long span = timesteps - 1L;
    long gaps = steps - 1L;
    for (int k = 0; k < steps; k++) {
      kept[k] = (int) ((2 * k * span + gaps) / (2 * gaps));
    }
    return kept;
  }

  /** beta'[k] = 1 − abar[s_k]/abar[s_{k−1}], with abar[s_{−1}] = 1. */
  static double[] betas(double[] alphasCumprod, int[] kept) {
    double[] betas = new double[kept.length];
    double previous = 1;
    for (int k = 0; k < kept.length; k++) {
      double abar = alphasCumprod[kept[k]];
      betas[k] = 1 - abar / previous;
      previous = abar;
    }
    return betas;
  }
}
