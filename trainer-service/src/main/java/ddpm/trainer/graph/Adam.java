package ddpm.trainer.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam over every trainable variable with TensorFlow's fused ApplyAdam. The 1-based step is fed per run
 * and the bias-correction powers β₁^step, β₂^step are computed from it in the graph, so the step number
 * alone (which a checkpoint's name carries) is the optimizer's clock.
 */
final class Adam {
  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  private final Placeholder<TFloat32> step;
  private final List<Op> updates = new ArrayList<>();

  Adam(Params params, Operand<TFloat32> loss, double learningRate) {
    Ops tf = params.tf();
    List<Variable<TFloat32>> variables = params.trainable();
    var gradients = tf.gradients(loss, variables);
    this.step = tf.withSubScope("adam").withName("step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> beta1 = tf.constant(BETA1);
    Operand<TFloat32> beta2 = tf.constant(BETA2);
    Operand<TFloat32> beta1Power = tf.math.pow(beta1, step);
    Operand<TFloat32> beta2Power = tf.math.pow(beta2, step);
    Operand<TFloat32> lr = tf.constant((float) learningRate);
    Operand<TFloat32> epsilon = tf.constant(EPSILON);
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      updates.add(tf.train.applyAdam(v, params.slot(v, "adam_m"), params.slot(v, "adam_v"),
          beta1Power, beta2Power, lr, beta1, beta2, epsilon, gradients.<TFloat32>dy(i)));
    }
  }

  /** Makes {@code runner} apply one update; {@code stepTensor} is the 1-based step as a float32 scalar. */
  Session.Runner minimize(Session.Runner runner, TFloat32 stepTensor) {
    runner.feed(step, stepTensor);
    updates.forEach(runner::addTarget);
    return runner;
  }
}
