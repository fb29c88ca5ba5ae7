package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The table of the reverse-process variances σ² of ancestral sampling (docs/math.md §5). On the command line and
 * on the wire (sampler.proto's VarianceKind, mapped by name) a row goes by its constant's name.
 */
public enum VarianceKind implements SamplingChoice {
  /** σ² = beta: Ho et al.'s CIFAR-10 choice. */
  FIXED_LARGE("sigma^2 = beta (Ho et al.'s CIFAR-10 choice)") {
    @Override
    public double[] variances(NoiseSchedule schedule) {
      return schedule.betas();
    }
  },
  /** σ² = the posterior variance of q(x_{t−1} | x_t, x_0). */
  FIXED_SMALL("sigma^2 = the posterior variance") {
    @Override
    public double[] variances(NoiseSchedule schedule) {
      return schedule.posteriorVariance();
    }
  };

  /** The variance of a request that names none. */
  public static final VarianceKind DEFAULT = FIXED_LARGE;

  private final String description;

  VarianceKind(String description) {
    this.description = description;
  }

  @Override
  public String cliName() {
    return name();
  }

  @Override
  public String description() {
    return description;
  }

  /** σ² at every position of {@code schedule}. */
  public abstract double[] variances(NoiseSchedule schedule);
}
