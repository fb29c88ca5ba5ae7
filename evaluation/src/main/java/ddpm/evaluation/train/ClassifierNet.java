package ddpm.evaluation.train;

import ddpm.layers.Conv2d;
import ddpm.layers.Dense;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.layers.WeightInit;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The MNIST classifier: four 3×3 ReLU convolutions (32 channels at 28×28, then 64 at 14, 7 and 4 by stride
 * 2), a 128-unit ReLU layer (the features the Fréchet distance compares) and a 10-way linear layer, all with
 * He-normal weights (variance 2/fan-in), which keep ReLU activations at a steady scale through the stack.
 * The fourth convolution shrinks the dense layer's input from 7·7·64 to 4·4·64, which keeps the shipped
 * weights under 1 MB. Variable names depend only on the layer names, so a graph built again from this
 * class restores a checkpoint of another.
 */
final class ClassifierNet {
  static final String ARCHITECTURE =
      "conv3x3 32 relu, conv3x3/2 64 relu, conv3x3/2 64 relu, conv3x3/2 64 relu, dense 128 relu (features), dense 10";
  static final int FEATURES = 128;
  static final int CLASSES = 10;
  private static final int LAST_SIDE = 4;
  private static final int LAST_CHANNELS = 64;

  private final Ops tf;
  private final List<Conv2d> convolutions;
  private final Dense hidden;
  private final Dense logits;

  /** What one pass yields: the features after their ReLU, and the unnormalised class scores. */
  record Outputs(Operand<TFloat32> features, Operand<TFloat32> logits) {}

  ClassifierNet(Params params) {
    this.tf = params.tf();
    this.convolutions = List.of(
        conv(params, "conv1", 1, 32, 1),
        conv(params, "conv2", 32, 64, 2),
        conv(params, "conv3", 64, 64, 2),
        conv(params, "conv4", 64, LAST_CHANNELS, 2));
    this.hidden = new Dense(params, "features", LAST_SIDE * LAST_SIDE * LAST_CHANNELS, FEATURES, WeightInit.HE_NORMAL);
    this.logits = new Dense(params, "logits", FEATURES, CLASSES, WeightInit.HE_NORMAL);
  }

  /** The shipped classifiers name each convolution's kernel "weight". */
  private static Conv2d conv(Params params, String name, int in, int out, int stride) {
    return new Conv2d(params, name, "weight", 3, stride, in, out, WeightInit.HE_NORMAL);
  }

  /** {@code images}: float32 [N, 28, 28, 1] in [−1, 1]. */
  Outputs apply(Operand<TFloat32> images) {
    Pass pass = Pass.direct(tf);
    Operand<TFloat32> x = images;
    for (Conv2d conv : convolutions) {
      x = tf.nn.relu(conv.apply(pass, x));
    }
    x = tf.reshape(x, tf.constant(new long[] {-1, LAST_SIDE * LAST_SIDE * LAST_CHANNELS}));
    Operand<TFloat32> features = tf.nn.relu(hidden.apply(pass, x));
    return new Outputs(features, logits.apply(pass, features));
  }
}
