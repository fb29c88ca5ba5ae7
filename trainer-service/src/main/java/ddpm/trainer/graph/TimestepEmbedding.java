package ddpm.trainer.graph;

import ddpm.layers.Activations;
import ddpm.layers.Dense;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The 0-based timestep t as sinusoids of geometrically spaced frequencies (Transformer style, as in
 * Ho et al.), then a two-layer MLP with SiLU: [N] int32 → [N, dim]. A class-conditional network adds a learned
 * row per label y (its classes and the null label) to it, as improved-diffusion's {@code label_emb} does. The
 * rows start at zero, so a conditional network started from an unconditional one's weights computes exactly
 * what that one did until training moves them.
 */
final class TimestepEmbedding {
  private static final double MAX_PERIOD = 10_000.0;

  private final Ops tf;
  private final float[][] frequencies;
  private final Dense first;
  private final Dense second;
  /** [classes + 1, dim], or null for an unconditional network. */
  private final Variable<TFloat32> classRows;

  /** {@code numClasses}: null for an unconditional network. */
  TimestepEmbedding(Params params, int sinusoidDim, int dim, Integer numClasses) {
    Params p = params.child("time_embed");
    this.tf = p.tf();
    int half = Math.max(1, sinusoidDim / 2);
    this.frequencies = new float[1][half];
    for (int i = 0; i < half; i++) {
      frequencies[0][i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / half);
    }
    this.first = new Dense(p, "dense0", 2 * half, dim);
    this.second = new Dense(p, "dense1", dim, dim);
    this.classRows = numClasses == null ? null : params.child("class_embed").filled("table", 0f, numClasses + 1, dim);
  }

  /** {@code y}: [N] int32 labels for a class-conditional network, null for an unconditional one. */
  Operand<TFloat32> apply(Pass pass, Operand<TInt32> t, Operand<TInt32> y) {
    if ((y == null) != (classRows == null)) {
      throw new IllegalArgumentException(classRows == null ? "an unconditional network takes no labels"
          : "a class-conditional network needs a label per image");
    }
    Operand<TFloat32> column = tf.reshape(tf.dtypes.cast(t, TFloat32.class), tf.constant(new long[] {-1, 1}));
    Operand<TFloat32> angles = tf.linalg.matMul(column, tf.constant(frequencies));
    Operand<TFloat32> sinusoids = tf.concat(List.of(tf.math.sin(angles), tf.math.cos(angles)), tf.constant(1));
    Operand<TFloat32> emb = second.apply(pass, Activations.silu(tf, first.apply(pass, sinusoids)));
    return y == null ? emb : tf.math.add(emb, tf.gather(pass.read(classRows), y, tf.constant(0)));
  }
}
