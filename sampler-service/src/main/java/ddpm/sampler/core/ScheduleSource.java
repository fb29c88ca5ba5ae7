package ddpm.sampler.core;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;

/** Where the sampler gets its schedules; the client package implements it over gRPC. */
public interface ScheduleSource {
  /** The full schedule of {@code timesteps} steps: the one a model of that card was trained on. */
  NoiseSchedule fullSchedule(ScheduleKind kind, int timesteps);
}
