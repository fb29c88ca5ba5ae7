package ddpm.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Sets variables to values computed outside the graph (the moving averages of another graph, a published
 * model's weights): one placeholder and one assign op per variable, added to the graph once, fed per call.
 */
public final class VariableAssigner {
  private record Slot(Variable<TFloat32> variable, Placeholder<TFloat32> value, Op assign) {}

  private final Map<String, Slot> slots = new LinkedHashMap<>();

  /** {@code tf}: the scope the placeholders and assign ops go in. */
  public VariableAssigner(Ops tf, List<Variable<TFloat32>> variables) {
    for (Variable<TFloat32> v : variables) {
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
      slots.put(v.op().name(), new Slot(v, value, tf.assign(v, value)));
    }
  }

  /** The names of the variables this can set. */
  public Set<String> names() {
    return slots.keySet();
  }

  /** Sets each named variable to its value, all in one run; a name this cannot set is an IllegalStateException. */
  public void assign(Session session, Map<String, float[]> values) {
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      values.forEach((name, value) -> {
        Slot slot = slots.get(name);
        if (slot == null) {
          throw new IllegalStateException("no variable " + name + " to set");
        }
        TFloat32 tensor = TFloat32.tensorOf(slot.variable().shape(), DataBuffers.of(value, true, false));
        tensors.add(tensor);
        runner.feed(slot.value(), tensor).addTarget(slot.assign());
      });
      runner.run();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
