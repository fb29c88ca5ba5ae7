package ddpm.trainer.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Group normalisation over NHWC tensors of a fixed spatial size, built from reshape, mean and rsqrt,
 * which all have gradients in TensorFlow's C++ registry.
 */
final class GroupNorm {
  private static final int MAX_GROUPS = 8;
  private static final float EPSILON = 1e-5f;

  private final Params params;
  private final int channels;
  private final int groups;
  private final Variable<TFloat32> gamma;
  private final Variable<TFloat32> beta;

  GroupNorm(Params params, String name, int channels) {
    this.params = params.child(name);
    this.channels = channels;
    this.groups = gcd(channels, MAX_GROUPS);
    this.gamma = this.params.filled("gamma", 1f, channels);
    this.beta = this.params.filled("beta", 0f, channels);
  }

  Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    Ops tf = params.tf();
    long height = x.shape().get(1);
    long width = x.shape().get(2);
    Operand<TFloat32> grouped = tf.reshape(x,
        tf.constant(new long[] {-1, height, width, groups, channels / groups}));
    Operand<TFloat32> mean = tf.math.mean(grouped, tf.constant(new int[] {1, 2, 4}), Mean.keepDims(true));
    Operand<TFloat32> centred = tf.math.sub(grouped, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centred), tf.constant(new int[] {1, 2, 4}), Mean.keepDims(true));
    Operand<TFloat32> normalised = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))));
    Operand<TFloat32> back = tf.reshape(normalised, tf.constant(new long[] {-1, height, width, channels}));
    return tf.math.add(tf.math.mul(back, pass.read(gamma)), pass.read(beta));
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
