package ddpm.diffusion.sampling;

/** The update rules a {@link SamplingLoop} can run. */
public enum SamplerKind {
  /** Algorithm 2 of Ho et al. (spec §5): {@link AncestralStep}. */
  ANCESTRAL,
  /** Song et al.'s DDIM with stochasticity η (spec §6): {@link DdimStep}. */
  DDIM,
  /** Lu et al.'s second-order multistep DPM-Solver++(2M): {@link DpmSolverPp2mStep}. */
  DPM_SOLVER_PP_2M
}
