package ddpm.diffusion.sampling;

/**
 * A rule that calls ε_θ more than once per position (Heun, predictor–corrector): it is the five-argument
 * {@link #apply(float[], float[], int, double[], ModelCalls)}; run without a loop's calls, any call it needs fails.
 */
interface MultiCallStep extends ReverseStep {
  @Override
  float[] apply(float[] x, float[] eps, int k, double[] z, ModelCalls calls);

  @Override
  default float[] apply(float[] x, float[] eps, int k, double[] z) {
    return apply(x, eps, k, z, ModelCalls.NONE);
  }

  @Override
  int extraCalls(int k);
}
