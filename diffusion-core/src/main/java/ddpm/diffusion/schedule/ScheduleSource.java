package ddpm.diffusion.schedule;

/**
 * Where a sampler or a trainer gets its schedule: the scheduler service in production, {@link NoiseSchedule#of}
 * in tests. Both must agree on the arrays, which is why the network's schedule has one owner.
 */
@FunctionalInterface
public interface ScheduleSource {
  /** The full (not respaced) schedule of {@code kind} with {@code timesteps} steps. */
  NoiseSchedule fullSchedule(ScheduleKind kind, int timesteps);
}
