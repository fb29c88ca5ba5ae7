package ddpm.trainer.graph;

import ddpm.layers.Activations;
import ddpm.layers.Conv2d;
import ddpm.layers.Dense;
import ddpm.layers.GroupNorm;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The DDPM residual block: GroupNorm, SiLU, 3×3 conv, plus a projection of the timestep embedding, then
 * GroupNorm, SiLU, dropout, 3×3 conv (zero-initialised), added to the input (through a 1×1 conv when the
 * channel count changes).
 */
final class ResBlock implements TimestepLayer {
  private final Ops tf;
  private final int out;
  private final double dropout;
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final Dense timeProjection;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d skip;

  ResBlock(Params params, String name, int in, int out, int embedDim, double dropout) {
    Params p = params.child(name);
    this.tf = p.tf();
    this.out = out;
    this.dropout = dropout;
    this.norm1 = new GroupNorm(p, "norm1", in);
    this.conv1 = Conv2d.create(p, "conv1", 3, in, out);
    this.timeProjection = new Dense(p, "time_proj", embedDim, out);
    this.norm2 = new GroupNorm(p, "norm2", out);
    this.conv2 = Conv2d.zero(p, "conv2", 3, out, out);
    this.skip = in == out ? null : Conv2d.create(p, "skip", 1, in, out);
  }

  @Override
  public Operand<TFloat32> apply(Pass pass, Operand<TFloat32> x, Operand<TFloat32> embedding) {
    Operand<TFloat32> h = conv1.apply(pass, Activations.silu(tf, norm1.apply(pass, x)));
    Operand<TFloat32> time = timeProjection.apply(pass, Activations.silu(tf, embedding));
    h = tf.math.add(h, tf.reshape(time, tf.constant(new long[] {-1, 1, 1, out})));
    h = conv2.apply(pass, pass.dropout(Activations.silu(tf, norm2.apply(pass, h)), dropout));
    return tf.math.add(skip == null ? x : skip.apply(pass, x), h);
  }
}
