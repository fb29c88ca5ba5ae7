package ddpm.trainer.core;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;

/** Where the noise schedule comes from: the scheduler service in production, anything in tests. */
@FunctionalInterface
public interface ScheduleSource {
  /** The full (not respaced) schedule of {@code kind} with {@code timesteps} steps. */
  NoiseSchedule get(ScheduleKind kind, int timesteps);
}
