package ddpm.trainer.export;

import com.google.gson.JsonObject;
import ddpm.diffusion.ImageShape;
import ddpm.repository.ModelCard;
import ddpm.trainer.core.TrainingSpec;
import java.math.BigInteger;
import java.util.List;

/** The model.json of a trained model: what a sampler needs, the network, and how it was trained. */
public final class TrainingCards {
  public static final String PREDICTION = "epsilon";

  private TrainingCards() {}

  public static ModelCard of(TrainingSpec spec, ImageShape imageShape, double finalLoss, double wallSeconds) {
    JsonObject network = new JsonObject();
    network.addProperty("architecture", spec.network().architecture());
    network.addProperty("base_channels", spec.network().baseChannels());

    JsonObject training = new JsonObject();
    training.addProperty("dataset", spec.dataset());
    training.addProperty("steps", spec.steps());
    training.addProperty("batch_size", spec.batchSize());
    training.addProperty("learning_rate", spec.learningRate());
    // The request's seed is a uint64: write it unsigned, as a JSON number.
    training.addProperty("seed", new BigInteger(Long.toUnsignedString(spec.seed())));
    training.addProperty("final_loss", finalLoss);
    training.addProperty("wall_seconds", wallSeconds);

    JsonObject details = new JsonObject();
    details.add("network", network);
    details.add("training", training);
    return new ModelCard(spec.modelName(), List.of(imageShape.height(), imageShape.width(), imageShape.channels()),
        spec.timesteps(), spec.schedule().wireName(), PREDICTION, details);
  }
}
