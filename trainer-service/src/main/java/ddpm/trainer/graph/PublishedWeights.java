package ddpm.trainer.graph;

import ddpm.layers.VariableValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.tensorflow.SavedModelBundle;

/** The weights of a SavedModel that {@link ServingGraph} exported, read by variable name. */
final class PublishedWeights {
  private PublishedWeights() {}

  /**
   * Each named variable's value but {@code optional}, which is left out when the SavedModel lacks it;
   * IllegalStateException when it lacks another (another network).
   */
  static Map<String, float[]> read(Path savedModel, Collection<String> names, String optional) {
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve")) {
      List<String> present = new ArrayList<>();
      for (String name : names) {
        if (bundle.graph().operation(name) != null) {
          present.add(name);
        } else if (!name.equals(optional)) {
          throw new IllegalStateException(savedModel + " has no variable " + name + ": it holds another network");
        }
      }
      return VariableValues.read(bundle.session(), present);
    }
  }
}
