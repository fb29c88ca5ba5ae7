package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The choices of a sampling run, independent of the schedule: the update rule, the ancestral variance, DDIM's
 * η and whether x0_hat is clipped to [−1, 1]. Each rule reads only the settings it has; η is checked for every
 * rule, so that a bad value is refused rather than silently ignored.
 */
public record SamplerSettings(SamplerKind kind, VarianceKind variance, double eta, boolean clipX0) {
  public SamplerSettings {
    if (kind == null || variance == null) {
      throw new IllegalArgumentException("sampler and variance must be given");
    }
    DdimStep.checkEta(eta);
  }

  /** Ancestral sampling with {@code variance}. */
  public static SamplerSettings ancestral(VarianceKind variance, boolean clipX0) {
    return new SamplerSettings(SamplerKind.ANCESTRAL, variance, 0, clipX0);
  }

  /** DDIM with stochasticity {@code eta}. */
  public static SamplerSettings ddim(double eta, boolean clipX0) {
    return new SamplerSettings(SamplerKind.DDIM, VarianceKind.FIXED_LARGE, eta, clipX0);
  }

  /** DPM-Solver++(2M). */
  public static SamplerSettings dpmSolverPp2m(boolean clipX0) {
    return new SamplerSettings(SamplerKind.DPM_SOLVER_PP_2M, VarianceKind.FIXED_LARGE, 0, clipX0);
  }

  /** The loop that runs these settings over {@code schedule}, a full or a respaced one. */
  public SamplingLoop over(NoiseSchedule schedule) {
    return new SamplingLoop(schedule, () -> kind.newStep(schedule, this));
  }
}
