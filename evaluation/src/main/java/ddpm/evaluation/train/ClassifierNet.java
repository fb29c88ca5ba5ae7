package ddpm.evaluation.train;

import ddpm.trainer.graph.Params;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The MNIST classifier: four 3×3 ReLU convolutions (32 channels at 28×28, then 64 at 14, 7 and 4 by stride
 * 2), a 128-unit ReLU layer (the features the Fréchet distance compares) and a 10-way linear layer.
 * The fourth convolution shrinks the dense layer's input from 7·7·64 to 4·4·64, which keeps the shipped
 * weights under 1 MB. Variable names depend only on the layer names, so a graph built again from this
 * class restores a checkpoint of another. Layers read their variables through Identity: a variable's
 * reference-typed output crashes some of TensorFlow's gradient functions.
 */
final class ClassifierNet {
  static final String ARCHITECTURE =
      "conv3x3 32 relu, conv3x3/2 64 relu, conv3x3/2 64 relu, conv3x3/2 64 relu, dense 128 relu (features), dense 10";
  static final int FEATURES = 128;
  static final int CLASSES = 10;
  private static final int LAST_SIDE = 4;
  private static final int LAST_CHANNELS = 64;

  private final Ops tf;
  private final List<Conv> convolutions;
  private final Dense hidden;
  private final Dense logits;

  /** What one pass yields: the features after their ReLU, and the unnormalised class scores. */
  record Outputs(Operand<TFloat32> features, Operand<TFloat32> logits) {}

  ClassifierNet(Params params) {
    this.tf = params.tf();
    this.convolutions = List.of(
        new Conv(params.child("conv1"), 1, 32, 1),
        new Conv(params.child("conv2"), 32, 64, 2),
        new Conv(params.child("conv3"), 64, 64, 2),
        new Conv(params.child("conv4"), 64, LAST_CHANNELS, 2));
    this.hidden = new Dense(params.child("features"), LAST_SIDE * LAST_SIDE * LAST_CHANNELS, FEATURES);
    this.logits = new Dense(params.child("logits"), FEATURES, CLASSES);
  }

  /** {@code images}: float32 [N, 28, 28, 1] in [−1, 1]. */
  Outputs apply(Operand<TFloat32> images) {
    Operand<TFloat32> x = images;
    for (Conv conv : convolutions) {
      x = tf.nn.relu(conv.apply(x));
    }
    x = tf.reshape(x, tf.constant(new long[] {-1, LAST_SIDE * LAST_SIDE * LAST_CHANNELS}));
    Operand<TFloat32> features = tf.nn.relu(hidden.apply(x));
    return new Outputs(features, logits.apply(features));
  }

  /** He-normal weights (variance 2/fan-in), which keep ReLU activations at a steady scale through the stack. */
  private static Variable<TFloat32> heNormal(Params params, long fanIn, long... shape) {
    return params.truncatedNormal("weight", Math.sqrt(2.0 / fanIn), shape);
  }

  private record Conv(Params params, Variable<TFloat32> kernel, Variable<TFloat32> bias, List<Long> strides) {
    Conv(Params params, int in, int out, int stride) {
      this(params, heNormal(params, 9L * in, 3, 3, in, out), params.filled("bias", 0f, out),
          List.of(1L, (long) stride, (long) stride, 1L));
    }

    Operand<TFloat32> apply(Operand<TFloat32> x) {
      Ops tf = params.tf();
      return tf.nn.biasAdd(tf.nn.conv2d(x, tf.identity(kernel), strides, "SAME"), tf.identity(bias));
    }
  }

  private record Dense(Params params, Variable<TFloat32> weight, Variable<TFloat32> bias) {
    Dense(Params params, int in, int out) {
      this(params, heNormal(params, in, in, out), params.filled("bias", 0f, out));
    }

    Operand<TFloat32> apply(Operand<TFloat32> x) {
      Ops tf = params.tf();
      return tf.nn.biasAdd(tf.linalg.matMul(x, tf.identity(weight)), tf.identity(bias));
    }
  }
}
