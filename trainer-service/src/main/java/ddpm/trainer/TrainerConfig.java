package ddpm.trainer;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of one trainer: where it listens, the scheduler it asks for coefficients (HOST:PORT or any
 * gRPC target), the model repository it publishes to, the folder holding the MNIST IDX files
 * ({@code scripts/fetch-mnist.sh} fills it), and the folder for checkpoints ({@code <workDir>/<job>/ckpt-<step>}).
 * A null {@code dataDir} or {@code workDir} means the default.
 */
public record TrainerConfig(
    String host, int port, String schedulerTarget, Path modelRepository, Path dataDir, Path workDir) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 50054;
  public static final String DEFAULT_SCHEDULER = "localhost:50051";
  public static final Path DEFAULT_MODEL_REPOSITORY = Path.of("models");
  public static final Path DEFAULT_DATA_DIR = Path.of("data", "mnist");
  /** The work folder's name, beside the model repository unless set. */
  public static final String DEFAULT_WORK_DIR_NAME = ".trainer";

  public TrainerConfig {
    requireText(host, "host");
    requireText(schedulerTarget, "scheduler_target");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535] (0 picks a free port), got " + port);
    }
    if (modelRepository == null) {
      throw new IllegalArgumentException("model_repository must be given");
    }
    if (dataDir == null) {
      dataDir = DEFAULT_DATA_DIR;
    }
    if (workDir == null) {
      workDir = modelRepository.toAbsolutePath().normalize().resolveSibling(DEFAULT_WORK_DIR_NAME);
    }
  }

  /**
   * The defaults, overridden by DDPM_TRAINER_HOST, DDPM_TRAINER_PORT, DDPM_SCHEDULER_TARGET, DDPM_MODELS,
   * DDPM_MNIST_DIR and DDPM_TRAINER_WORK_DIR where set.
   */
  public static TrainerConfig fromEnvironment(Map<String, String> env) {
    return new TrainerConfig(
        env.getOrDefault("DDPM_TRAINER_HOST", DEFAULT_HOST),
        Integer.parseInt(env.getOrDefault("DDPM_TRAINER_PORT", String.valueOf(DEFAULT_PORT))),
        env.getOrDefault("DDPM_SCHEDULER_TARGET", DEFAULT_SCHEDULER),
        Path.of(env.getOrDefault("DDPM_MODELS", DEFAULT_MODEL_REPOSITORY.toString())),
        env.containsKey("DDPM_MNIST_DIR") ? Path.of(env.get("DDPM_MNIST_DIR")) : null,
        env.containsKey("DDPM_TRAINER_WORK_DIR") ? Path.of(env.get("DDPM_TRAINER_WORK_DIR")) : null);
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }
}
