package ddpm.trainer.export;

import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.trainer.graph.TrainingSession;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Publishes a trained network as the next version of a model: its export (a SavedModel with the
 * "serving_default" signature, x_t, t → eps) plus its model.json, staged and renamed into place by the repository.
 */
public final class SavedModelExporter {
  private final ModelRepository repository;

  public SavedModelExporter(ModelRepository repository) {
    this.repository = repository;
  }

  public record Published(String model, long version, Path path) {}

  public Published publish(TrainingSession session, ModelCard card) throws IOException {
    long version = repository.publish(card.name(), staging -> {
      session.export(staging);
      card.write(staging);
    });
    return new Published(card.name(), version, repository.versionDir(card.name(), version));
  }
}
