package ddpm.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** A same-padded k×k convolution with bias, on NHWC tensors; stride 1, or 2 to halve the image. */
public final class Conv2d implements Layer {
  private final Params params;
  private final List<Long> strides;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;

  /** LeCun-normal weights, stride 1. */
  public static Conv2d create(Params params, String name, int size, int in, int out) {
    return new Conv2d(params, name, "kernel", size, 1, in, out, WeightInit.LECUN_NORMAL);
  }

  /** A 3×3 convolution of stride 2 with LeCun-normal weights: a learned downsampling. */
  public static Conv2d halving(Params params, String name, int in, int out) {
    return new Conv2d(params, name, "kernel", 3, 2, in, out, WeightInit.LECUN_NORMAL);
  }

  /**
   * Zero weights, so the layer starts as the identity of whatever it is added to: an output layer then
   * predicts 0 at first and a residual branch starts closed, as in improved-diffusion.
   */
  public static Conv2d zero(Params params, String name, int size, int in, int out) {
    return new Conv2d(params, name, "kernel", size, 1, in, out, WeightInit.ZERO);
  }

  /**
   * The layer's variables are {@code <name>/<kernelName>} [size, size, in, out] and {@code <name>/bias} [out]
   * (zeros), created in that order.
   */
  public Conv2d(Params params, String name, String kernelName, int size, int stride, int in, int out,
      WeightInit init) {
    this.params = params.child(name);
    this.strides = List.of(1L, (long) stride, (long) stride, 1L);
    this.kernel = init.create(this.params, kernelName, (long) size * size * in, size, size, in, out);
    this.bias = this.params.filled("bias", 0f, out);
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    var tf = params.tf();
    return tf.nn.biasAdd(tf.nn.conv2d(x, pass.read(kernel), strides, "SAME"), pass.read(bias));
  }
}
