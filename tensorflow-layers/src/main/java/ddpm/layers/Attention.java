package ddpm.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

/**
 * Single-head self-attention over the H·W positions of an NHWC activation: GroupNorm, 1×1 projections
 * to q, k, v, softmax(q·kᵀ/√C)·v, a zero-initialised 1×1 output projection, added to the input. The
 * spatial size is fixed at graph-build time.
 */
public final class Attention implements Layer {
  private final Ops tf;
  private final int channels;
  private final GroupNorm norm;
  private final Conv2d query;
  private final Conv2d key;
  private final Conv2d value;
  private final Conv2d output;

  public Attention(Params params, String name, int channels) {
    Params p = params.child(name);
    this.tf = p.tf();
    this.channels = channels;
    this.norm = new GroupNorm(p, "norm", channels);
    this.query = Conv2d.create(p, "q", 1, channels, channels);
    this.key = Conv2d.create(p, "k", 1, channels, channels);
    this.value = Conv2d.create(p, "v", 1, channels, channels);
    this.output = Conv2d.zero(p, "out", 1, channels, channels);
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x) {
    long height = x.shape().get(1);
    long width = x.shape().get(2);
    Operand<TFloat32> h = norm.apply(pass, x);
    Operand<TFloat32> q = positions(query.apply(pass, h), height * width);
    Operand<TFloat32> k = positions(key.apply(pass, h), height * width);
    Operand<TFloat32> v = positions(value.apply(pass, h), height * width);
    Operand<TFloat32> logits = tf.math.mul(
        tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
        tf.constant((float) (1 / Math.sqrt(channels))));
    Operand<TFloat32> attended = tf.train.batchMatMul(tf.nn.softmax(logits), v, TFloat32.class);
    Operand<TFloat32> image = tf.reshape(attended, tf.constant(new long[] {-1, height, width, channels}));
    return tf.math.add(x, output.apply(pass, image));
  }

  /** [N, H, W, C] → [N, H·W, C]. */
  private Operand<TFloat32> positions(Operand<TFloat32> x, long count) {
    return tf.reshape(x, tf.constant(new long[] {-1, count, channels}));
  }
}
