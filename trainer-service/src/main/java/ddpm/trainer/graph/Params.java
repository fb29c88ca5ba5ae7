package ddpm.trainer.graph;

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
 * Creates the graph's variables in a name scope, each initialised from a stateless random op seeded
 * with (seed, creation index), so the same seed and the same network give the same initial weights.
 * Children share the counter and the variable lists with their parent.
 */
public final class Params {
  private final Ops tf;
  private final long seed;
  private final Shared shared;

  private static final class Shared {
    int created;
    final List<Variable<TFloat32>> trainable = new ArrayList<>();
    /** The scope each variable was created in, so its optimizer slots sit beside it. */
    final Map<Variable<TFloat32>, Ops> scopes = new IdentityHashMap<>();
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
    Ops scope = shared.scopes.get(like);
    Ops init = scope.withInitScope();
    Operand<TFloat32> zeros = init.zeros(init.constant(like.shape().asArray()), TFloat32.class);
    String name = like.op().name();
    return scope.withName(name.substring(name.lastIndexOf('/') + 1) + "_" + suffix).variable(zeros);
  }

  /**
   * Reads a variable through an Identity: a variable yields a reference output, and some gradient
   * functions crash the JVM or refuse the graph when fed one directly.
   */
  public Operand<TFloat32> read(Variable<TFloat32> variable) {
    return tf.identity(variable);
  }

  public List<Variable<TFloat32>> trainable() {
    return Collections.unmodifiableList(shared.trainable);
  }

  private Variable<TFloat32> trainable(String name, Operand<TFloat32> initialValue) {
    Variable<TFloat32> v = tf.withName(name).variable(initialValue);
    shared.created++;
    shared.trainable.add(v);
    shared.scopes.put(v, tf);
    return v;
  }
}
