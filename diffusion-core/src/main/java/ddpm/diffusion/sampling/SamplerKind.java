package ddpm.diffusion.sampling;

import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * The table of samplers: each row is an update rule a {@link SamplingLoop} can run, with its name on the command
 * line, its line of help and the factory of its {@link ReverseStep}. The wire's SamplerKind (sampler.proto) is
 * mapped by name, so a new sampler is a row here, its step class and a value of the same name in the proto.
 */
public enum SamplerKind implements SamplingChoice {
  /** Algorithm 2 of Ho et al. (docs/math.md §5): {@link AncestralStep}. */
  ANCESTRAL("ancestral", "Algorithm 2 of Ho et al., with the chosen variance",
      (schedule, settings) -> new AncestralStep(schedule, settings.variance(), settings.clipX0())),
  /** Song et al.'s DDIM with stochasticity η (docs/math.md §6): {@link DdimStep}. */
  DDIM("ddim", "DDIM (Song et al.) with stochasticity eta; eta = 0 is deterministic given x_T",
      (schedule, settings) -> new DdimStep(schedule, settings.eta(), settings.clipX0())),
  /** Lu et al.'s second-order multistep DPM-Solver++(2M): {@link DpmSolverPp2mStep}. */
  DPM_SOLVER_PP_2M("dpm-solver++", "DPM-Solver++(2M) (Lu et al.), a second-order multistep solver for 10-50 "
      + "steps; deterministic given x_T",
      (schedule, settings) -> new DpmSolverPp2mStep(schedule, settings.clipX0())),
  /** Euler's method on Karras et al.'s dx̃/dσ = ε (docs/math.md §12): {@link EulerStep}. */
  EULER("euler", "Euler on the probability-flow ODE in Karras et al.'s sigma parameterisation (DDIM eta = 0 in "
      + "other variables); deterministic given x_T",
      (schedule, settings) -> new EulerStep(schedule, settings.clipX0())),
  /** Heun's second-order method (Karras et al. Algorithm 1 without churn): {@link HeunStep}. */
  HEUN("heun", "Heun, second order (Karras et al. Algorithm 1 without churn): 2K - 1 denoiser calls for K "
      + "steps; deterministic given x_T",
      (schedule, settings) -> new HeunStep(schedule, settings.clipX0())),
  /** k-diffusion's Euler ancestral step: {@link EulerAncestralStep}. */
  EULER_ANCESTRAL("euler-a", "Euler ancestral (k-diffusion): an Euler step down to sigma_down, fresh noise up "
      + "to the next sigma",
      (schedule, settings) -> new EulerAncestralStep(schedule, settings.clipX0()));

  /** The rule of a request that names none. */
  public static final SamplerKind DEFAULT = ANCESTRAL;

  /** Makes the step of one run, so a step that remembers earlier steps never serves two runs. */
  @FunctionalInterface
  interface StepFactory {
    ReverseStep newStep(NoiseSchedule schedule, SamplerSettings settings);
  }

  private final String cliName;
  private final String description;
  private final StepFactory steps;

  SamplerKind(String cliName, String description, StepFactory steps) {
    this.cliName = cliName;
    this.description = description;
    this.steps = steps;
  }

  @Override
  public String cliName() {
    return cliName;
  }

  @Override
  public String description() {
    return description;
  }

  /** A new step of this rule over {@code schedule}, reading the settings it has. */
  ReverseStep newStep(NoiseSchedule schedule, SamplerSettings settings) {
    return steps.newStep(schedule, settings);
  }
}
