package ddpm.diffusion.schedule;

/**
 * Where a sampler or a trainer gets its schedule: the scheduler service in production, {@link NoiseSchedule#of}
 * in tests. Both must agree on the arrays, which is why the network's schedule has one owner.
 */
@FunctionalInterface
public interface ScheduleSource {
  /**
   * The schedule of {@code kind} with T = {@code timesteps}, respaced to K = {@code steps} in [1, T] at the
   * timesteps {@code spacing} keeps.
   */
  NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps, Spacing spacing);

  /** The schedule of {@code kind} with T = {@code timesteps}, respaced evenly to K = {@code steps} in [1, T]. */
  default NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps) {
    return schedule(kind, timesteps, steps, Spacing.EVEN);
  }

  /** The full schedule, K = T: the one a network is trained on. */
  default NoiseSchedule fullSchedule(ScheduleKind kind, int timesteps) {
    return schedule(kind, timesteps, timesteps);
  }
}
