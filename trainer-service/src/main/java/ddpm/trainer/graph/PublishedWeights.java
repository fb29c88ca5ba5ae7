package ddpm.trainer.graph;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The weights of a SavedModel that {@link ServingGraph} exported, read by variable name. */
final class PublishedWeights {
  private PublishedWeights() {}

  /** Each named variable's value; IllegalStateException when the SavedModel lacks one (another network). */
  static Map<String, float[]> read(Path savedModel, Collection<String> names) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve")) {
      Session.Runner runner = bundle.session().runner();
      for (String name : names) {
        if (bundle.graph().operation(name) == null) {
          throw new IllegalStateException(savedModel + " has no variable " + name + ": it holds another network");
        }
        runner.fetch(name);
      }
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
}
