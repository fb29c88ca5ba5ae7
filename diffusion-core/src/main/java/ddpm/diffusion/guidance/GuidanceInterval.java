package ddpm.diffusion.guidance;

/**
 * The timesteps at which classifier-free guidance applies: t in [minTimestep, maxTimestep] of the model's own
 * T-step schedule (0-based, so a respaced run's steps are judged by the timestep they visit). Outside it a step
 * uses the plain conditional ε(x_t, y). Kynkäänniemi et al. 2024 ("Applying guidance in a limited interval
 * improves sample and distribution quality in diffusion models") found guidance at the highest noise levels costs
 * variety and at the lowest buys nothing; docs/guidance.md measures where it pays for MNIST.
 */
public record GuidanceInterval(int minTimestep, int maxTimestep) {
  /** Every timestep of any schedule: guidance at every step, as without an interval. */
  public static final GuidanceInterval EVERY_STEP = new GuidanceInterval(0, Integer.MAX_VALUE);

  /** IllegalArgumentException naming guidance_interval unless 0 ≤ minTimestep ≤ maxTimestep. */
  public GuidanceInterval {
    if (minTimestep < 0 || maxTimestep < minTimestep) {
      throw new IllegalArgumentException("guidance_interval: need 0 ≤ min_timestep ≤ max_timestep, got ["
          + minTimestep + ", " + maxTimestep + "]");
    }
  }

  public boolean contains(int timestep) {
    return timestep >= minTimestep && timestep <= maxTimestep;
  }

  /** IllegalArgumentException naming guidance_interval.max_timestep when it lies beyond a T-step schedule. */
  public void checkWithin(int timesteps) {
    if (maxTimestep >= timesteps) {
      throw new IllegalArgumentException("guidance_interval.max_timestep must be below the model's " + timesteps
          + " timesteps, got " + maxTimestep);
    }
  }
}
