package ddpm.diffusion.schedule;

/** The betas of each {@link ScheduleKind}, in float64 (docs/math.md §2). */
final class BetaSchedules {
  /**
   * Both families cap beta below 1: a beta of 1 would zero alpha and make every later abar 0. The cosine
   * value is the paper's; the linear one only bites for T ≤ 20, where the rescaled end point reaches 1.
   */
  static final double MAX_BETA = 0.999;

  private static final double LINEAR_START_AT_1000 = 1e-4;
  private static final double LINEAR_END_AT_1000 = 0.02;
  private static final double COSINE_OFFSET = 0.008;

  private BetaSchedules() {}

  /**
   * linspace(1e-4 · 1000/T, 0.02 · 1000/T, T), improved-diffusion's rescaling (keeping the end points
   * would leave signal in x_T for short schedules). T = 1000 gives Ho et al.'s values exactly. abar[T−1] is not
   * kept fixed: 4.04e-5 at T = 1000, 2.04e-5 at T = 100, 7.7e-6 at T = 50, 5.6e-11 at T = 20 (docs/math.md §2).
   */
  static double[] linear(int timesteps) {
    double scale = 1000.0 / timesteps;
    double start = LINEAR_START_AT_1000 * scale;
    double end = LINEAR_END_AT_1000 * scale;
    double[] betas = new double[timesteps];
    for (int i = 0; i < timesteps; i++) {
      double fraction = timesteps == 1 ? 0 : (double) i / (timesteps - 1);
      betas[i] = Math.min(start + (end - start) * fraction, MAX_BETA);
    }
    return betas;
  }

  /** beta[i] = min(1 − abar(i+1)/abar(i), 0.999) with abar(u) = f(u)/f(0). */
  static double[] cosine(int timesteps) {
    double[] betas = new double[timesteps];
    for (int i = 0; i < timesteps; i++) {
      betas[i] = Math.min(1 - cosineF(i + 1, timesteps) / cosineF(i, timesteps), MAX_BETA);
    }
    return betas;
  }

  /** f(u) = cos(((u/T) + s)/(1 + s) · π/2)²; the ratio of two values is all that matters, so f(0) cancels. */
  private static double cosineF(int u, int timesteps) {
    double c = Math.cos(((double) u / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
    return c * c;
  }
}
