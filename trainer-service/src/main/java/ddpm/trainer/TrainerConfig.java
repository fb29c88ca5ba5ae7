package ddpm.trainer;

import java.nio.file.Path;

/**
 * Settings of one trainer: where it listens, the scheduler it asks for coefficients (HOST:PORT, a list
 * HOST:PORT,HOST:PORT of replicas, or any gRPC name such as dns:///NAME:PORT, found as the sampler finds
 * it: see ddpm.grpc.naming.PeerTarget), the model repository it publishes to, the folder holding the MNIST
 * IDX files ({@code scripts/fetch-mnist.sh} fills it), and the folder for checkpoints and previews
 * ({@code <workDir>/<model>/ckpt-<step>}).
 */
public record TrainerConfig(
    String host, int port, String schedulerTarget, Path modelRepository, Path dataDir, Path workDir) {
  public TrainerConfig {
    requireText(schedulerTarget, "scheduler_target");
    requirePath(modelRepository, "model_repository");
    requirePath(dataDir, "data_dir");
    requirePath(workDir, "work_dir");
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }

  private static void requirePath(Path value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }
}
