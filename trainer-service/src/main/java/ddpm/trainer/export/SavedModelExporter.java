package ddpm.trainer.export;

import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.trainer.graph.ServingGraph;
import ddpm.trainer.graph.TrainingGraph;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Publishes a trained graph as the next version of a model: a SavedModel with the "serving_default"
 * signature (x_t, t → eps) plus its model.json, staged and renamed into place by the repository.
 */
public final class SavedModelExporter {
  private final ModelRepository repository;

  public SavedModelExporter(ModelRepository repository) {
    this.repository = repository;
  }

  public record Published(String model, long version, Path path) {}

  public Published publish(TrainingGraph graph, ModelCard card) throws IOException {
    long version = repository.publish(card.name(), staging -> {
      try (ServingGraph serving = graph.servingGraph()) {
        serving.export(staging);
      }
      card.write(staging);
    });
    return new Published(card.name(), version, repository.versionDir(card.name(), version));
  }
}
