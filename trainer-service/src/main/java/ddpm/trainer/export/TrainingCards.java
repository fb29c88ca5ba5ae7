package ddpm.trainer.export;

import com.google.gson.JsonObject;
import ddpm.diffusion.ImageShape;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.tensorflow.Precision;
import ddpm.trainer.core.SpecJson;
import ddpm.trainer.core.TrainingSpec;
import java.util.List;

/** The model.json of a trained model: what a sampler needs, the network, and how it was trained. */
public final class TrainingCards {
  private TrainingCards() {}

  /**
   * {@code resumedFrom}: the step this job started from (0 for a fresh run); {@code wallSeconds} and
   * {@code precision} are this job's (a resumed run's earlier steps may have run in another).
   */
  public static ModelCard of(TrainingSpec spec, ImageShape imageShape, Precision precision, double finalLoss,
      double wallSeconds, int resumedFrom) {
    JsonObject training = SpecJson.spec(spec);
    training.remove("network");
    training.remove("model_name");
    training.remove("schedule");
    training.remove("timesteps");
    training.addProperty("weights", "exponential moving average");
    training.addProperty("precision", precision.label());
    training.addProperty("resumed_from_step", resumedFrom);
    training.addProperty("final_loss", finalLoss);
    training.addProperty("wall_seconds", wallSeconds);

    JsonObject details = new JsonObject();
    if (spec.network().classConditional()) {
      details.addProperty(EpsContract.NUM_CLASSES, spec.network().numClasses());
      details.addProperty(EpsContract.NULL_LABEL, spec.network().nullLabel());
    }
    details.add("network", SpecJson.network(spec.network()));
    details.add("training", training);
    return new ModelCard(spec.modelName(), List.of(imageShape.height(), imageShape.width(), imageShape.channels()),
        spec.timesteps(), spec.schedule().wireName(), EpsContract.PREDICTION, EpsContract.TENSORFLOW_SAVED_MODEL,
        details);
  }
}
