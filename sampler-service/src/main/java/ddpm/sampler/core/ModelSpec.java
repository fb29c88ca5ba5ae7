package ddpm.sampler.core;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.ScheduleKind;

/**
 * What the sampler needs to drive one resolved model version: its card, reduced to the math's terms. A
 * class-conditional network has {@code numClasses} &gt; 0 classes and the label {@code nullLabel} for no class; an
 * unconditional one has 0 of each.
 */
public record ModelSpec(String name, long version, ImageShape imageShape, int timesteps, ScheduleKind schedule,
    int numClasses, int nullLabel) {}
