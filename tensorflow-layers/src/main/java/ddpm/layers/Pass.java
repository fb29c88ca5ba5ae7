package ddpm.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One application of a network: which copy of the weights it reads and whether it drops activations. A
 * training pass reads the trained weights and applies dropout; a serving pass reads another copy (such as
 * the moving averages) and applies none; a direct pass reads the weights themselves and applies none.
 *
 * <p>Dropout masks come from stateless random ops seeded with (run seed, step + site·2³²), the step and
 * seed fed per run: a mask is then a function of the step alone, so a resumed run draws the same masks as
 * an uninterrupted one, which a stateful random op (whose state no checkpoint holds) would not.
 */
public final class Pass {
  private final Ops tf;
  private final Map<Variable<TFloat32>, Variable<TFloat32>> source;
  private final Operand<TInt64> dropoutSeed;
  private final Operand<TInt64> batchSize;
  private int sites;

  private Pass(Ops tf, Map<Variable<TFloat32>, Variable<TFloat32>> source, Operand<TInt64> dropoutSeed,
      Operand<TInt64> batchSize) {
    this.tf = tf;
    this.source = source;
    this.dropoutSeed = dropoutSeed;
    this.batchSize = batchSize;
  }

  /**
   * Reads the weights themselves, with dropout. {@code dropoutSeed}: int64 [2], (seed, step);
   * {@code batchSize}: int64 [1], the batch dimension of the masks (taken from an input, never from
   * an activation, so that no gradient path runs through the mask).
   */
  public static Pass training(Ops tf, Operand<TInt64> dropoutSeed, Operand<TInt64> batchSize) {
    return new Pass(tf, Map.of(), dropoutSeed, batchSize);
  }

  /** Reads {@code weights.get(v)} in place of each variable v, without dropout. */
  public static Pass serving(Ops tf, Map<Variable<TFloat32>, Variable<TFloat32>> weights) {
    return new Pass(tf, weights, null, null);
  }

  /** Reads the weights themselves, without dropout: a network that has none, trained or served as it is. */
  public static Pass direct(Ops tf) {
    return serving(tf, Map.of());
  }

  /**
   * A variable's value through an Identity: a variable yields a reference output, and some gradient
   * functions crash the JVM or refuse the graph when fed one directly.
   */
  public Operand<TFloat32> read(Variable<TFloat32> variable) {
    return tf.identity(source.getOrDefault(variable, variable));
  }

  /** Inverted dropout of an NHWC activation: each value kept with probability 1 − rate and scaled by 1/(1 − rate). */
  public Operand<TFloat32> dropout(Operand<TFloat32> x, double rate) {
    if (dropoutSeed == null || rate == 0) {
      return x;
    }
    long site = sites++;
    long[] dims = x.shape().asArray();
    Operand<TInt64> shape = tf.concat(
        List.of(batchSize, tf.constant(new long[] {dims[1], dims[2], dims[3]})), tf.constant(0));
    Operand<TInt64> seed = tf.math.add(dropoutSeed, tf.constant(new long[] {0, site << 32}));
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(shape, seed, TFloat32.class);
    float keep = (float) (1 - rate);
    Operand<TFloat32> mask = tf.math.div(
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant((float) rate)), TFloat32.class), tf.constant(keep));
    return tf.math.mul(x, mask);
  }
}
