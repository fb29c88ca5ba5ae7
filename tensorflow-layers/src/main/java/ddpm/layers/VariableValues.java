package ddpm.layers;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Reads float32 variables of a session by operation name. */
public final class VariableValues {
  private VariableValues() {}

  /** Each named variable's current value, in the order of {@code names}. */
  public static Map<String, float[]> read(Session session, Collection<String> names) {
    // One run for all: every distinct set of fetches makes the session prepare a new executor.
    Session.Runner runner = session.runner();
    names.forEach(runner::fetch);
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      int i = 0;
      for (String name : names) {
        TFloat32 tensor = (TFloat32) result.get(i++);
        float[] value = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(value, false, false));
        values.put(name, value);
      }
    }
    return values;
  }
}
