package ddpm.diffusion.sampling;

/**
 * A predictor–corrector sampler (Song et al. 2021; docs/math.md §12): any update rule as the predictor, then, at
 * the position it reached, {@code correctorSteps} {@link LangevinCorrector} steps, each with its own ε_θ call and
 * its own z from the images' streams. None after the last step: x_0 is no position of the schedule.
 */
final class PredictorCorrector implements MultiCallStep {
  private final ReverseStep predictor;
  private final LangevinCorrector corrector;
  private final int correctorSteps;

  PredictorCorrector(ReverseStep predictor, LangevinCorrector corrector, int correctorSteps) {
    this.predictor = predictor;
    this.corrector = corrector;
    this.correctorSteps = correctorSteps;
  }

  @Override
  public boolean addsNoise(int k) {
    return predictor.addsNoise(k);
  }

  @Override
  public int extraCalls(int k) {
    return predictor.extraCalls(k) + (k > 0 ? correctorSteps : 0);
  }

  @Override
  public float[] apply(float[] x, float[] eps, int k, double[] z, ModelCalls calls) {
    float[] out = predictor.apply(x, eps, k, z, calls);
    for (int m = 0; k > 0 && m < correctorSteps; m++) {
      out = corrector.apply(out, calls.eps(out, k - 1), k - 1, calls.noise(), calls.valuesPerImage());
    }
    return out;
  }
}
