package ddpm.diffusion.sampling;

/** ε_θ: the network, or anything that stands in for it. The samplers never know which. */
@FunctionalInterface
public interface EpsModel {
  /**
   * The predicted noise for a batch.
   *
   * @param xt N images, row-major NHWC, flattened
   * @param t N network timesteps, one per image: indices into the full schedule of T steps
   * @return N · H · W · C values, laid out like {@code xt}
   */
  float[] predict(float[] xt, int[] t);
}
