package ddpm.repository;

import ddpm.diffusion.guidance.ClassConditioning;

/**
 * The ε_θ contract between the trainer that publishes a model version and the denoiser that serves it: the
 * names of the network's inputs and output, what it predicts, and the formats a version may be stored in
 * (model.json's {@code format}).
 *
 * <p>A {@value #TENSORFLOW_SAVED_MODEL} version has a signature {@value #SIGNATURE_KEY} that takes
 * {@value #X_T} (float32 [-1, H, W, C], the noisy images) and {@value #T} (int32 [-1], each image's 0-based
 * timestep) and returns {@value #EPS} (float32 [-1, H, W, C], the predicted noise): ε_θ(x_t, t) of Ho et al.
 * 2020, Algorithms 1 and 2. Any other input of the signature is an extra per-image input (class labels, for a
 * conditional model), int32 or float32 with a leading batch dimension, which every request must carry, as
 * improved-diffusion passes {@code model_kwargs} to its model.
 *
 * <p>A class-conditional network's extra input is {@value #Y} (int32 [-1], each image's label), and its model.json
 * declares {@value #NUM_CLASSES} (labels 0..num_classes − 1) and {@value #NULL_LABEL}, the label that asks for
 * no class (classifier-free guidance's unconditional half, Ho &amp; Salimans 2022).
 */
public final class EpsContract {
  public static final String SIGNATURE_KEY = "serving_default";
  public static final String X_T = "x_t";
  public static final String T = "t";
  public static final String EPS = "eps";
  /** The class label input of a class-conditional network. */
  public static final String Y = ClassConditioning.LABEL_INPUT;
  /** model.json's class count of a class-conditional network. */
  public static final String NUM_CLASSES = "num_classes";
  /** model.json's null label of a class-conditional network. */
  public static final String NULL_LABEL = "null_label";
  /**
   * The largest |x_t| a denoiser takes, and so the largest |initial_noise| a sampler takes. A diffusion's x_t is
   * about N(0, 1) wide (a few units at most, at every step); 10⁴ leaves a caller's own x_T plenty of room while
   * the squares a network's normalisation layers compute (about 10⁸) stay far from float32's overflow at
   * 3.4·10³⁸, past which a network answers NaN.
   */
  public static final float MAX_ABS_X_T = 1e4f;
  /** model.json's {@code prediction}: the network predicts the noise ε, the only target served today. */
  public static final String PREDICTION = "epsilon";
  /** model.json's {@code format} for a TensorFlow SavedModel (saved_model.pb and variables/). */
  public static final String TENSORFLOW_SAVED_MODEL = "tensorflow-savedmodel";
  /** What a card without {@code format} means: every version published before the field existed. */
  public static final String DEFAULT_FORMAT = TENSORFLOW_SAVED_MODEL;

  private EpsContract() {}

  /**
   * IllegalArgumentException naming {@code field} (x_t, or the initial_noise that becomes it) unless every value
   * is finite and within ±{@link #MAX_ABS_X_T}.
   */
  public static void checkXt(float[] values, String field) {
    for (int k = 0; k < values.length; k++) {
      if (!(Math.abs(values[k]) <= MAX_ABS_X_T)) {
        throw new IllegalArgumentException(field + ": values must be finite and within ±" + (int) MAX_ABS_X_T
            + " (a diffusion's x_t is about N(0, 1) wide), element " + k + " is " + values[k]);
      }
    }
  }
}
