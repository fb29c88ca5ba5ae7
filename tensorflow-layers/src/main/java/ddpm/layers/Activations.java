package ddpm.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Activation functions built from ops that have registered gradients. */
public final class Activations {
  private Activations() {}

  /** SiLU as x·sigmoid(x): both ops have registered gradients, unlike a fused Swish. */
  public static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
    return tf.math.mul(x, tf.math.sigmoid(x));
  }
}
