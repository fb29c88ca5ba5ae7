package ddpm.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A fully connected layer with bias on [N, in] tensors. */
public final class Dense implements Layer {
  private final Params params;
  private final Variable<TFloat32> weight;
  private final Variable<TFloat32> bias;

  /** LeCun-normal weights. */
  public Dense(Params params, String name, int in, int out) {
    this(params, name, in, out, WeightInit.LECUN_NORMAL);
  }

  /** The layer's variables are {@code <name>/weight} [in, out] and {@code <name>/bias} [out] (zeros), in that order. */
  public Dense(Params params, String name, int in, int out, WeightInit init) {
    this.params = params.child(name);
    this.weight = init.create(this.params, "weight", in, in, out);
    this.bias = this.params.filled("bias", 0f, out);
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    var tf = params.tf();
    return tf.nn.biasAdd(tf.linalg.matMul(x, pass.read(weight)), pass.read(bias));
  }
}
