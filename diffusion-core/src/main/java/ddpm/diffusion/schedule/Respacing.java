package ddpm.diffusion.schedule;

import java.util.Arrays;

/**
 * Fewer steps by keeping a subset of the indices (docs/math.md §6, improved-diffusion's respace.py), chosen by one
 * of the {@link SpacingKind}s (docs/math.md §12).
 */
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

  /**
   * t_i = round(T·(K − i)/K) − 1 for i = 0..K−1, returned in increasing order: T·(K − i)/K = T − i·T/K exactly,
   * in integers, rounded half to even as numpy's round does (diffusers' "trailing"). Neighbouring values are
   * T/K ≥ 1 apart, so the indices are distinct; the first is T−1 and the last round(T/K) − 1 ≥ 0.
   */
  static int[] trailingIndices(int timesteps, int steps) {
    int[] kept = new int[steps];
    for (int i = 0; i < steps; i++) {
      long numerator = (long) timesteps * (steps - i);
      long quotient = numerator / steps;
      long twiceRemainder = 2 * (numerator % steps);
      boolean up = twiceRemainder > steps || (twiceRemainder == steps && quotient % 2 == 1);
      kept[steps - 1 - i] = (int) (up ? quotient + 1 : quotient) - 1;
    }
    return kept;
  }

  /**
   * Karras et al.'s σ_i = (σ_max^{1/ρ} + i/(K−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, i = 0..K−1, with
   * σ(t) = sqrt((1 − abar[t])/abar[t]) and σ_min, σ_max those of timesteps 0 and T−1; each σ_i goes to the
   * timestep whose σ is nearest in log σ. Collisions (several σ_i nearest one timestep, where the σ_i are closer
   * than the timesteps' σ: near 0 on the linear schedule, near T−1 on the cosine one, whose σ leaps there) are
   * resolved from the top down: t_i is at most t_{i−1} − 1 and at least
   * K − 1 − i, so every position gets its own timestep and T−1 and 0 are always kept. K = 1 keeps T−1.
   * StrictMath, so that every machine maps a σ_i to the same timestep.
   */
  static int[] karrasIndices(double[] alphasCumprod, int steps, double rho) {
    int timesteps = alphasCumprod.length;
    double[] logSigmas = new double[timesteps];
    for (int t = 0; t < timesteps; t++) {
      logSigmas[t] = 0.5 * StrictMath.log((1 - alphasCumprod[t]) / alphasCumprod[t]);
    }
    double maxRoot = StrictMath.exp(logSigmas[timesteps - 1] / rho);
    double minRoot = StrictMath.exp(logSigmas[0] / rho);
    int[] kept = new int[steps];
    int previous = timesteps;
    for (int i = 0; i < steps; i++) {
      double fraction = steps == 1 ? 0 : (double) i / (steps - 1);
      double logSigma = rho * StrictMath.log(maxRoot + fraction * (minRoot - maxRoot));
      int t = Math.max(steps - 1 - i, Math.min(nearest(logSigmas, logSigma), previous - 1));
      kept[steps - 1 - i] = t;
      previous = t;
    }
    return kept;
  }

  /** The index of the value of the increasing {@code values} nearest {@code value}; the lower one on a tie. */
  private static int nearest(double[] values, double value) {
    int above = Arrays.binarySearch(values, value);
    if (above >= 0) {
      return above;
    }
    above = -above - 1;
    if (above == 0) {
      return 0;
    }
    if (above == values.length) {
      return values.length - 1;
    }
    return value - values[above - 1] <= values[above] - value ? above - 1 : above;
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
