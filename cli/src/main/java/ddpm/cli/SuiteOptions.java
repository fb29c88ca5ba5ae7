package ddpm.cli;

import ddpm.datasets.Datasets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the suite's files live; shared by every command that starts services. */
public final class SuiteOptions {
  @Option(names = "--models", paramLabel = "DIR",
      description = "Model repository: <name>/<version>/ folders (default: $DDPM_MODELS, else ./models).")
  Path models;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = Datasets.DEFAULT_ROOT,
      description = Datasets.ROOT_HELP + " (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--work", paramLabel = "DIR", defaultValue = "runs",
      description = "Training work folder: checkpoints (default: ${DEFAULT-VALUE}).")
  Path work;

  EmbeddedSuite.SuitePaths paths() {
    return new EmbeddedSuite.SuitePaths(modelRepository(), data, work);
  }

  public Path modelRepository() {
    if (models != null) {
      return models;
    }
    String env = System.getenv("DDPM_MODELS");
    return Path.of(env == null || env.isBlank() ? "models" : env);
  }
}
