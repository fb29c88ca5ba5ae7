package ddpm.trainer.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ε_θ(x_t, t) as graph ops over variables created once: apply it several times (training input, serving
 * input) and every application shares the same weights.
 */
public interface EpsNet {
  /** x_t: [N, H, W, C] float32; t: [N] int32, the 0-based timestep. Returns ε̂ shaped like x_t. */
  Operand<TFloat32> apply(Operand<TFloat32> xt, Operand<TInt32> t);

  static EpsNet build(Params params, EpsNetConfig config, int channels) {
    return switch (config.architecture()) {
      case EpsNetConfig.CONV -> new ConvEpsNet(params, config.baseChannels(), channels);
      default -> throw new IllegalArgumentException("network.architecture: unknown \"" + config.architecture() + "\"");
    };
  }
}
