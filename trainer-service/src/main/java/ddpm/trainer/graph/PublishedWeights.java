package ddpm.trainer.graph;

import ddpm.layers.VariableValues;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import org.tensorflow.SavedModelBundle;

/** The weights of a SavedModel that {@link ServingGraph} exported, read by variable name. */
final class PublishedWeights {
  private PublishedWeights() {}

  /** Each named variable's value; IllegalStateException when the SavedModel lacks one (another network). */
  static Map<String, float[]> read(Path savedModel, Collection<String> names) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve")) {
      for (String name : names) {
        if (bundle.graph().operation(name) == null) {
          throw new IllegalStateException(savedModel + " has no variable " + name + ": it holds another network");
        }
      }
      return VariableValues.read(bundle.session(), names);
    }
  }
}
