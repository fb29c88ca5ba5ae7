package ddpm.denoiser.grpc;

import ddpm.api.v1.ModelInfo;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.VersionStatus;
import ddpm.denoiser.core.VersionedCard;
import ddpm.repository.ModelCard;

/** A model card as the ModelInfo message both services answer with. */
final class ModelInfos {
  private ModelInfos() {}

  /** The card, with the device and precision the version runs in if {@code registry} serves it now. */
  static ModelInfo of(VersionedCard versioned, ModelRegistry registry) {
    ModelCard card = versioned.card();
    VersionStatus status = registry.status(versioned.name(), versioned.version());
    return ModelInfo.newBuilder()
        .setName(versioned.name())
        .setVersion(versioned.version())
        .addAllImageShape(card.imageShape())
        .setTimesteps(card.timesteps())
        .setSchedule(card.schedule())
        .setPrediction(card.prediction())
        .setCardJson(card.toJsonString())
        .setDevice(status.device())
        .setPrecision(status.precision())
        .setGroupNorm(status.groupNorm())
        .setNumClasses(card.numClasses())
        .setNullLabel(card.nullLabel())
        .build();
  }
}
