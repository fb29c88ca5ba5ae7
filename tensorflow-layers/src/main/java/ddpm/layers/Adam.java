package ddpm.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;

/**
 * Adam over every trainable variable with TensorFlow's fused ApplyAdam. The 1-based step and the learning
 * rate are fed per run; the bias-correction powers β₁^step, β₂^step are computed from the step in the graph,
 * so the step number alone (which a checkpoint carries) is the optimizer's clock.
 *
 * <p>Create it right after the network, before the loss and its gradients: adding an initialised variable
 * costs time in proportion to the graph's size (tens of milliseconds each on the U-Net's training graph,
 * seconds for all the moments).
 */
public final class Adam {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  private final Params params;
  private final List<Variable<TFloat32>> firstMoments = new ArrayList<>();
  private final List<Variable<TFloat32>> secondMoments = new ArrayList<>();

  public Adam(Params params) {
    this.params = params;
    for (Variable<TFloat32> v : params.trainable()) {
      firstMoments.add(params.slot(v, "adam_m"));
      secondMoments.add(params.slot(v, "adam_v"));
    }
  }

  /**
   * One update per trainable variable, in {@link Params#trainable()} order, each outputting the updated
   * variable; {@code gradients} are in the same order.
   */
  public List<ApplyAdam<TFloat32>> updates(List<Operand<TFloat32>> gradients, Operand<TFloat32> learningRate,
      Operand<TFloat32> step) {
    var tf = params.tf().withSubScope("adam");
    List<Variable<TFloat32>> variables = params.trainable();
    Operand<TFloat32> beta1 = tf.constant(BETA1);
    Operand<TFloat32> beta2 = tf.constant(BETA2);
    Operand<TFloat32> beta1Power = tf.math.pow(beta1, step);
    Operand<TFloat32> beta2Power = tf.math.pow(beta2, step);
    Operand<TFloat32> epsilon = tf.constant(EPSILON);
    List<ApplyAdam<TFloat32>> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      updates.add(tf.train.applyAdam(variables.get(i), firstMoments.get(i), secondMoments.get(i),
          beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, gradients.get(i)));
    }
    return updates;
  }
}
