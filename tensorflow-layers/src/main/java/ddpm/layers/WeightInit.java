package ddpm.layers;

import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** How a layer's weights start: a truncated normal scaled by the fan-in, or zeros. */
public enum WeightInit {
  /** Variance 1/fan-in (LeCun): unit-variance activations in, unit-variance out. */
  LECUN_NORMAL(1.0),
  /** Variance 2/fan-in (He): keeps ReLU activations at a steady scale through a stack. */
  HE_NORMAL(2.0),
  /** Zeros: the layer starts as the identity of whatever it is added to. */
  ZERO(0.0);

  private final double gain;

  WeightInit(double gain) {
    this.gain = gain;
  }

  /** A trainable variable {@code name} of {@code shape}, for a layer with {@code fanIn} inputs per output. */
  public Variable<TFloat32> create(Params params, String name, long fanIn, long... shape) {
    return gain == 0
        ? params.filled(name, 0f, shape)
        : params.truncatedNormal(name, Math.sqrt(gain / fanIn), shape);
  }
}
