package ddpm.denoiser.core;

import ddpm.repository.ModelCard;
import java.util.ArrayList;
import java.util.List;

/**
 * What every version of one model keeps, so that a sampler that resolved the model can drive any version of it:
 * image_shape, timesteps, schedule and prediction (the README's "ε_θ contract"), and num_classes: a label means one
 * class in every version, and a caller that asks for one must not find an unconditional version behind version 0. A
 * network that differs in any of them is a different model, with a name of its own.
 */
record ModelContract(List<Integer> imageShape, int timesteps, String schedule, String prediction, int numClasses) {
  static ModelContract of(ModelCard card) {
    return new ModelContract(card.imageShape(), card.timesteps(), card.schedule(), card.prediction(),
        card.numClasses());
  }

  /** Each field that {@code next} changes, as "timesteps 1000 → 100", in the card's order; empty when none. */
  List<String> changesTo(ModelContract next) {
    List<String> changes = new ArrayList<>();
    addChange(changes, "image_shape", imageShape, next.imageShape);
    addChange(changes, "timesteps", timesteps, next.timesteps);
    addChange(changes, "schedule", schedule, next.schedule);
    addChange(changes, "prediction", prediction, next.prediction);
    addChange(changes, "num_classes", numClasses, next.numClasses);
    return changes;
  }

  private static void addChange(List<String> changes, String field, Object from, Object to) {
    if (!from.equals(to)) {
      changes.add(field + " " + from + " → " + to);
    }
  }
}
