package ddpm.layers;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of the weights (what a diffusion model samples with): a shadow of every
 * trainable variable, starting at its initial value, and after each optimizer step shadow ← d·shadow + (1 − d)·w
 * with the weights just updated. No bias correction, as in Ho et al. and improved-diffusion.
 */
public final class MovingAverage {
  private final Map<Variable<TFloat32>, Variable<TFloat32>> shadows = new IdentityHashMap<>();

  public MovingAverage(Params params) {
    for (Variable<TFloat32> v : params.trainable()) {
      shadows.put(v, params.copy(v, "ema"));
    }
  }

  /** Each trainable variable's shadow. */
  public Map<Variable<TFloat32>, Variable<TFloat32>> shadows() {
    return shadows;
  }

  /**
   * The ops that move the shadows towards {@code updated}: the values of {@code variables} after the step
   * (taking them from the optimizer's outputs orders the average after the update within one run).
   */
  public List<Op> updates(Ops tf, List<Variable<TFloat32>> variables, List<? extends Operand<TFloat32>> updated,
      double decay) {
    Ops scope = tf.withSubScope("ema");
    Operand<TFloat32> d = scope.constant((float) decay);
    Operand<TFloat32> oneMinusD = scope.constant((float) (1 - decay));
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> shadow = shadows.get(variables.get(i));
      Operand<TFloat32> next = scope.math.add(scope.math.mul(d, scope.identity(shadow)),
          scope.math.mul(oneMinusD, scope.identity(updated.get(i))));
      ops.add(scope.assign(shadow, next));
    }
    return ops;
  }
}
