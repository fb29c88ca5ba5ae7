package ddpm.diffusion.editing;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * Where a run that starts from an image begins (docs/math.md §14): the position whose paper time
 * t_k = timestep_k + 1 is nearest t₀ = s·T, where "no position" (t = 0, position −1, the image itself) is a
 * candidate too. A tie goes to the noisier position.
 */
public final class StartPosition {
  private StartPosition() {}

  /** Refuses a strength outside (0, 1], NaN included, naming {@code field}. */
  public static void checkStrength(double strength, String field) {
    if (!(strength > 0 && strength <= 1)) {
      throw new IllegalArgumentException(field + " must be in (0, 1], got " + strength);
    }
  }

  /** The start position for {@code strength}, in [−1, K−1]. */
  public static int nearest(NoiseSchedule schedule, double strength, String field) {
    checkStrength(strength, field);
    double t0 = strength * schedule.timesteps();
    int[] timesteps = schedule.timestepIndices();
    int best = -1;
    double bestDistance = t0;
    for (int k = 0; k < timesteps.length; k++) {
      double distance = Math.abs(timesteps[k] + 1 - t0);
      if (distance <= bestDistance) {
        best = k;
        bestDistance = distance;
      }
    }
    return best;
  }
}
