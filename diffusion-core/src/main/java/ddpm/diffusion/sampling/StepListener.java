package ddpm.diffusion.sampling;

/** Told after every step of a sampling loop, on the sampling thread. */
@FunctionalInterface
public interface StepListener {
  /**
   * @param step steps done so far, 1..totalSteps
   * @param totalSteps K
   * @param timestep the network timestep of the step just done
   */
  void onStep(int step, int totalSteps, int timestep);
}
