package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.Spacing;

/**
 * The choices of a sampling run: the update rule, the ancestral variance, DDIM's η, whether x0_hat is clipped to
 * [−1, 1], which timesteps the run visits ({@code spacing}) and the corrector after each step. Each rule reads
 * only the settings it has; η is checked for every rule, so that a bad value is refused rather than silently
 * ignored. The spacing is the caller's to apply: {@link #over} runs whatever schedule it is given, which the caller
 * fetches respaced with {@code spacing} (see {@link ddpm.diffusion.schedule.ScheduleSource}).
 */
public record SamplerSettings(SamplerKind kind, VarianceKind variance, double eta, boolean clipX0, Spacing spacing,
    CorrectorSettings corrector) {
  public SamplerSettings {
    if (kind == null || variance == null || spacing == null || corrector == null) {
      throw new IllegalArgumentException("sampler, variance, spacing and corrector must be given");
    }
    DdimStep.checkEta(eta);
  }

  /** Even spacing and no corrector. */
  public SamplerSettings(SamplerKind kind, VarianceKind variance, double eta, boolean clipX0) {
    this(kind, variance, eta, clipX0, Spacing.EVEN, CorrectorSettings.NONE);
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

  /** These settings with {@code spacing}. */
  public SamplerSettings withSpacing(Spacing spacing) {
    return new SamplerSettings(kind, variance, eta, clipX0, spacing, corrector);
  }

  /** These settings with {@code corrector} after every step. */
  public SamplerSettings withCorrector(CorrectorSettings corrector) {
    return new SamplerSettings(kind, variance, eta, clipX0, spacing, corrector);
  }

  /** The loop that runs these settings over {@code schedule}, a full or a respaced one. */
  public SamplingLoop over(NoiseSchedule schedule) {
    return new SamplingLoop(schedule, () -> corrector.around(kind.newStep(schedule, this), schedule));
  }
}
