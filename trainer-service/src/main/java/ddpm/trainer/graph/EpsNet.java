package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ε_θ(x_t, t) as graph ops over variables created once: apply it several times (training input, serving
 * input) and every application shares the same variables, each reading them as its {@link Pass} says.
 */
public interface EpsNet {
  /** Embedding width relative to the base width, as in improved-diffusion. */
  int EMBED_MULTIPLIER = 4;

  /**
   * x_t: [N, H, W, C] float32; t: [N] int32, the 0-based timestep; y: [N] int32, each image's label (the null
   * label for none) for a class-conditional network, null for an unconditional one. Returns ε̂ shaped like x_t.
   */
  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> xt, Operand<TInt32> t, Operand<TInt32> y);

  /** {@code config} must be resolved for the image ({@link EpsNetConfig#forImage}). */
  static EpsNet build(Params params, EpsNetConfig config, ImageShape shape) {
    return config.architecture().build(params, config, shape);
  }
}
