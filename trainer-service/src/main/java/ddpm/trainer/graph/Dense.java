package ddpm.trainer.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A fully connected layer with bias on [N, in] tensors. */
final class Dense {
  private final Params params;
  private final Variable<TFloat32> weight;
  private final Variable<TFloat32> bias;

  Dense(Params params, String name, int in, int out) {
    this.params = params.child(name);
    this.weight = this.params.truncatedNormal("weight", Math.sqrt(1.0 / in), in, out);
    this.bias = this.params.filled("bias", 0f, out);
  }

  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    var tf = params.tf();
    return tf.nn.biasAdd(tf.linalg.matMul(x, pass.read(weight)), pass.read(bias));
  }
}
