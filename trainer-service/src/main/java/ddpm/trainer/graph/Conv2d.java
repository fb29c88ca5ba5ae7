package ddpm.trainer.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A stride-1, same-padded k×k convolution with bias, on NHWC tensors. */
final class Conv2d {
  private static final List<Long> STRIDE_ONE = List.of(1L, 1L, 1L, 1L);

  private final Params params;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;

  /** LeCun-normal weights: unit-variance activations in, unit-variance out. */
  static Conv2d create(Params params, String name, int size, int in, int out) {
    return new Conv2d(params.child(name), size, in, out, Math.sqrt(1.0 / (size * size * in)));
  }

  /**
   * Zero weights, so the layer starts as the identity of whatever it is added to: the output layer then
   * predicts ε = 0 at first (loss 1) and residual branches start closed, as in improved-diffusion.
   */
  static Conv2d zero(Params params, String name, int size, int in, int out) {
    return new Conv2d(params.child(name), size, in, out, 0.0);
  }

  private Conv2d(Params params, int size, int in, int out, double stddev) {
    this.params = params;
    this.kernel = stddev == 0.0
        ? params.filled("kernel", 0f, size, size, in, out)
        : params.truncatedNormal("kernel", stddev, size, size, in, out);
    this.bias = params.filled("bias", 0f, out);
  }

  Operand<TFloat32> apply(Operand<TFloat32> x) {
    var tf = params.tf();
    return tf.nn.biasAdd(tf.nn.conv2d(x, params.read(kernel), STRIDE_ONE, "SAME"), params.read(bias));
  }
}
