package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/** The reverse-process variance σ² of ancestral sampling (spec §5). */
public enum VarianceKind {
  /** σ² = beta: Ho et al.'s CIFAR-10 choice. */
  FIXED_LARGE {
    @Override
    double[] variances(NoiseSchedule schedule) {
      return schedule.betas();
    }
  },
  /** σ² = the posterior variance of q(x_{t−1} | x_t, x_0). */
  FIXED_SMALL {
    @Override
    double[] variances(NoiseSchedule schedule) {
      return schedule.posteriorVariance();
    }
  };

  /** σ² at every position of {@code schedule}. */
  abstract double[] variances(NoiseSchedule schedule);
}
