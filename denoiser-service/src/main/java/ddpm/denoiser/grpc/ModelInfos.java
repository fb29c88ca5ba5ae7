package ddpm.denoiser.grpc;

import ddpm.api.v1.ModelInfo;
import ddpm.denoiser.core.VersionedCard;
import ddpm.repository.ModelCard;

/** A model card as the ModelInfo message both services answer with. */
final class ModelInfos {
  private ModelInfos() {}

  static ModelInfo of(VersionedCard versioned) {
    ModelCard card = versioned.card();
    return ModelInfo.newBuilder()
        .setName(versioned.name())
        .setVersion(versioned.version())
        .addAllImageShape(card.imageShape())
        .setTimesteps(card.timesteps())
        .setSchedule(card.schedule())
        .setPrediction(card.prediction())
        .setCardJson(card.toJsonString())
        .build();
  }
}
