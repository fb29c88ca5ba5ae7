package ddpm.diffusion.sampling;

/** Told after every reverse step of a sampling loop, on the sampling thread. */
@FunctionalInterface
public interface StepListener {
  /**
   * @param step model calls made so far, 1..totalSteps
   * @param totalSteps the run's model calls: K, more for a rule that makes extra calls (Heun, a corrector), fewer
   *     for a run that starts from an image partway down
   * @param timestep the network timestep of the step just done
   */
  void onStep(int step, int totalSteps, int timestep);
}
