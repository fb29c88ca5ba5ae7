package ddpm.diffusion.sampling;

/** Shown the x_t a step started from and the x̂₀ it predicted (Ho et al. Fig. 6), on the sampling thread. */
@FunctionalInterface
public interface PreviewListener {
  /**
   * @param step reverse steps done so far, 1..totalSteps (not model calls, which {@link StepListener} counts)
   * @param timestep the network timestep of x_t
   * @param xt the batch the step's ε_θ call took, row-major NHWC in model scale
   * @param x0Hat (x_t − sqrt(1 − abar) ε)/sqrt(abar) of that call, unclipped, laid out like {@code xt}
   */
  void onPreview(int step, int totalSteps, int timestep, float[] xt, float[] x0Hat);
}
