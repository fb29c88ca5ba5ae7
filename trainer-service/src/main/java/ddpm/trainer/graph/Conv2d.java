package ddpm.trainer.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A same-padded k×k convolution with bias, on NHWC tensors; stride 1, or 2 to halve the image. */
final class Conv2d {
  private final Params params;
  private final List<Long> strides;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;

  /** LeCun-normal weights: unit-variance activations in, unit-variance out. */
  static Conv2d create(Params params, String name, int size, int in, int out) {
    return new Conv2d(params.child(name), 1, size, in, out, lecun(size, in));
  }

  /** A 3×3 convolution of stride 2: the U-Net's learned downsampling. */
  static Conv2d halving(Params params, String name, int in, int out) {
    return new Conv2d(params.child(name), 2, 3, in, out, lecun(3, in));
  }

  /**
   * Zero weights, so the layer starts as the identity of whatever it is added to: the output layer then
   * predicts ε = 0 at first (loss 1) and residual branches start closed, as in improved-diffusion.
   */
  static Conv2d zero(Params params, String name, int size, int in, int out) {
    return new Conv2d(params.child(name), 1, size, in, out, 0.0);
  }

  private static double lecun(int size, int in) {
    return Math.sqrt(1.0 / (size * size * in));
  }

  private Conv2d(Params params, long stride, int size, int in, int out, double stddev) {
    this.params = params;
    this.strides = List.of(1L, stride, stride, 1L);
    this.kernel = stddev == 0.0
        ? params.filled("kernel", 0f, size, size, in, out)
        : params.truncatedNormal("kernel", stddev, size, size, in, out);
    this.bias = params.filled("bias", 0f, out);
  }

  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    var tf = params.tf();
    return tf.nn.biasAdd(tf.nn.conv2d(x, pass.read(kernel), strides, "SAME"), pass.read(bias));
  }
}
