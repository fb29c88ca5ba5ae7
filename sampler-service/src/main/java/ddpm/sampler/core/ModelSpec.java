package ddpm.sampler.core;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.ScheduleKind;

/** What the sampler needs to drive one resolved model version: its card, reduced to the math's terms. */
public record ModelSpec(String name, long version, ImageShape imageShape, int timesteps, ScheduleKind schedule) {}
