package ddpm.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Creates the graph's variables in a name scope, each trainable one initialised from a stateless random op
 * seeded with (seed, creation index), so the same seed and the same network give the same initial weights.
 * Children share the counter and the variable lists with their parent.
 */
public final class Params {
  private final Ops tf;
  private final long seed;
  private final Shared shared;

  private static final class Shared {
    int created;
    final List<Variable<TFloat32>> trainable = new ArrayList<>();
    final List<Variable<TFloat32>> all = new ArrayList<>();
    /** The scope and initial value of each trainable variable, so its companions sit beside it. */
    final Map<Variable<TFloat32>, Ops> scopes = new IdentityHashMap<>();
    final Map<Variable<TFloat32>, Operand<TFloat32>> initialValues = new IdentityHashMap<>();
  }

  public Params(Ops tf, long seed) {
    this(tf, seed, new Shared());
  }

  private Params(Ops tf, long seed, Shared shared) {
    this.tf = tf;
    this.seed = seed;
    this.shared = shared;
  }

  /** Parameters in the sub-scope {@code name}. */
  public Params child(String name) {
    return new Params(tf.withSubScope(name), seed, shared);
  }

  /** The scope's ops: a layer builds its graph ops with these. */
  public Ops tf() {
    return tf;
  }

  /** A trainable variable drawn from a normal distribution truncated at two standard deviations. */
  public Variable<TFloat32> truncatedNormal(String name, double stddev, long... shape) {
    Ops init = tf.withInitScope();
    Operand<TFloat32> draw = init.random.statelessTruncatedNormal(
        init.constant(shape), init.constant(new long[] {seed, shared.created}));
    return trainable(name, init.math.mul(draw, init.constant((float) stddev)));
  }

  /** A trainable variable with every element equal to {@code value}. */
  public Variable<TFloat32> filled(String name, float value, long... shape) {
    Ops init = tf.withInitScope();
    return trainable(name, init.fill(init.constant(shape), init.constant(value)));
  }

  /** Optimizer state (not trained): zeros shaped like {@code like}, named {@code <like>_<suffix>} beside it. */
  public Variable<TFloat32> slot(Variable<TFloat32> like, String suffix) {
    // ZerosLike of the initial value is one op; every op added to the init scope costs time in
    // proportion to the graph's size.
    Ops init = shared.scopes.get(like).withInitScope();
    return companion(like, suffix, init.zerosLike(shared.initialValues.get(like)));
  }

  /**
   * A copy of {@code like} (not trained) that starts from the same initial value: the op that drew the
   * value feeds both, so they are equal without running one initializer before the other.
   */
  public Variable<TFloat32> copy(Variable<TFloat32> like, String suffix) {
    return companion(like, suffix, shared.initialValues.get(like));
  }

  /** The trainable variables in the order they were created, which fixes each one's seed. */
  public List<Variable<TFloat32>> trainable() {
    return Collections.unmodifiableList(shared.trainable);
  }

  /** Every variable created here: the trainable ones and their companions (optimizer state, averages). */
  public List<Variable<TFloat32>> all() {
    return Collections.unmodifiableList(shared.all);
  }

  private Variable<TFloat32> companion(Variable<TFloat32> like, String suffix, Operand<TFloat32> initialValue) {
    String name = like.op().name();
    Variable<TFloat32> v = shared.scopes.get(like).withName(name.substring(name.lastIndexOf('/') + 1) + "_" + suffix)
        .variable(initialValue);
    shared.all.add(v);
    return v;
  }

  private Variable<TFloat32> trainable(String name, Operand<TFloat32> initialValue) {
    Variable<TFloat32> v = tf.withName(name).variable(initialValue);
    shared.created++;
    shared.trainable.add(v);
    shared.all.add(v);
    shared.scopes.put(v, tf);
    shared.initialValues.put(v, initialValue);
    return v;
  }
}
