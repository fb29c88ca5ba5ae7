package ddpm.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Rescales a set of gradients together so their global L2 norm is at most {@code maxNorm}: each g becomes
 * g · maxNorm / max(‖g‖, maxNorm), keeping the update's direction, as torch's clip_grad_norm_ does.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** The clipped gradients, in the order given. */
  public static List<Operand<TFloat32>> byGlobalNorm(Ops tf, List<Operand<TFloat32>> gradients, double maxNorm) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      squares.add(tf.sum(tf.math.square(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1))));
    }
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.addN(squares));
    Operand<TFloat32> limit = tf.constant((float) maxNorm);
    Operand<TFloat32> scale = tf.math.div(limit, tf.math.maximum(norm, limit));
    List<Operand<TFloat32>> clipped = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      clipped.add(tf.math.mul(g, scale));
    }
    return clipped;
  }
}
