package ddpm.evaluation.train;

import ddpm.trainer.graph.Params;
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
 * Adam (Kingma and Ba's defaults β₁ 0.9, β₂ 0.999, ε 1e−8) over every trainable variable of {@code params},
 * with TensorFlow's fused ApplyAdam. The bias corrections need β^step, so the 1-based step is fed with
 * each update rather than kept in a variable, which would be exported with the model; the learning rate
 * is fed too, so the caller can decay it.
 */
final class Adam {
  private final Placeholder<TFloat32> step;
  private final Placeholder<TFloat32> learningRate;
  private final List<Op> updates;

  Adam(Params params, Operand<TFloat32> loss) {
    Ops tf = params.tf();
    List<Variable<TFloat32>> variables = params.trainable();
    var gradients = tf.gradients(loss, variables);
    step = tf.withName("adam_step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    learningRate = tf.withName("adam_learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> beta1 = tf.constant(0.9f);
    Operand<TFloat32> beta2 = tf.constant(0.999f);
    Operand<TFloat32> beta1Power = tf.math.pow(beta1, step);
    Operand<TFloat32> beta2Power = tf.math.pow(beta2, step);
    Operand<TFloat32> epsilon = tf.constant(1e-8f);
    updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      updates.add(tf.train.applyAdam(v, params.slot(v, "adam_m"), params.slot(v, "adam_v"),
          beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, gradients.<TFloat32>dy(i)));
    }
  }

  /** Makes {@code runner} apply one update; both tensors are float32 scalars, the step 1-based. */
  Session.Runner minimize(Session.Runner runner, TFloat32 stepTensor, TFloat32 learningRateTensor) {
    runner.feed(step, stepTensor).feed(learningRate, learningRateTensor);
    updates.forEach(runner::addTarget);
    return runner;
  }
}
