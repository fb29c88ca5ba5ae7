package ddpm.diffusion.sampling;

/**
 * One update rule of the reverse process, from position k of its schedule to position k−1 (to x_0 after
 * k = 0), element by element for a whole batch. {@link SamplingLoop} owns everything around it: x_T, the
 * network calls, the noise, cancellation and progress.
 */
public interface ReverseStep {
  /**
   * Whether step k adds σ z. The loop draws z only for such steps, so a rule that adds no noise leaves the
   * seed's streams untouched, and two rules that add noise at the same steps see the same z.
   */
  boolean addsNoise(int k);

  /**
   * @param x the batch at position k
   * @param eps ε_θ(x, timestep of position k), laid out like {@code x}
   * @param z standard normal noise like {@code x} where {@link #addsNoise} says so, otherwise null
   * @return the batch at position k−1, or x_0 after k = 0
   */
  float[] apply(float[] x, float[] eps, int k, double[] z);

  /**
   * The step as {@link SamplingLoop} runs it, with {@code calls} for a rule that needs ε_θ elsewhere than at
   * (x, k) or more noise (Heun, a corrector: {@link MultiCallStep}); a rule that needs neither ignores them.
   */
  default float[] apply(float[] x, float[] eps, int k, double[] z, ModelCalls calls) {
    return apply(x, eps, k, z);
  }

  /** The ε_θ calls step k makes through {@link ModelCalls} besides the loop's one at (x, k). */
  default int extraCalls(int k) {
    return 0;
  }
}
