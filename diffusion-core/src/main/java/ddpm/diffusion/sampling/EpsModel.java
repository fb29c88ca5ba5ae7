package ddpm.diffusion.sampling;

/**
 * ε_θ: the network, or anything that stands in for it. The samplers never know which. A model without extra
 * inputs (every one but a conditional network) implements {@link #predict(float[], int[])} alone.
 */
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

  /**
   * The predicted noise for a batch whose images also carry {@code inputs}, each holding N images (class labels,
   * for a conditional model). A model without extra inputs takes only {@link ExtraInputs#NONE}.
   */
  default float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
    if (!inputs.isEmpty()) {
      throw new IllegalArgumentException("this ε model takes no extra inputs, got " + inputs.asMap().keySet());
    }
    return predict(xt, t);
  }
}
