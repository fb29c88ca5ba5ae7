package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The corrector of a predictor–corrector sampler (Song et al. 2021; docs/math.md §12): {@code steps} Langevin
 * steps with signal-to-noise ratio {@code snr} after every predictor step but the last. 0 steps is the plain
 * predictor, unchanged.
 *
 * @param steps M in [0, {@value #MAX_STEPS}] (field "corrector_steps")
 * @param snr r, finite and &gt; 0 (field "corrector_snr"); checked even when M = 0, so that a bad value is refused
 *     rather than silently ignored
 */
public record CorrectorSettings(int steps, double snr) {
  /** Each corrector step costs a denoiser call per position: ten multiply the cost of a run by eleven. */
  public static final int MAX_STEPS = 10;
  /** r = 0.16, the default snr of Song et al.'s released configurations (score_sde, configs/default_*_configs.py). */
  public static final double DEFAULT_SNR = 0.16;
  /** No corrector. */
  public static final CorrectorSettings NONE = new CorrectorSettings(0, DEFAULT_SNR);

  public CorrectorSettings {
    if (steps < 0 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("corrector_steps must be in [0, " + MAX_STEPS + "], got " + steps);
    }
    if (!(snr > 0 && snr < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("corrector_snr must be finite and > 0, got " + snr);
    }
  }

  /** {@code predictor} followed by this corrector over {@code schedule}; the predictor itself for M = 0. */
  ReverseStep around(ReverseStep predictor, NoiseSchedule schedule) {
    return steps == 0 ? predictor : new PredictorCorrector(predictor, new LangevinCorrector(schedule, snr), steps);
  }
}
