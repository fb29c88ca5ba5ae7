package ddpm.denoiser;

import ddpm.grpc.ServerRunner;
import java.nio.file.Path;

/**
 * Settings of one denoiser: where it listens, the model repository it serves, the largest batch
 * one PredictNoise call may carry (it bounds the memory a single request can take), and the port of its
 * Prometheus metrics ({@link ServerRunner#NO_METRICS}: none).
 */
public record DenoiserConfig(String host, int port, Path modelRepository, int maxBatch, int metricsPort) {
  public static final int DEFAULT_MAX_BATCH = 1024;

  public DenoiserConfig {
    if (modelRepository == null) {
      throw new IllegalArgumentException("model_repository: must be set");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max_batch: must be ≥ 1, got " + maxBatch);
    }
  }

  public DenoiserConfig(String host, int port, Path modelRepository, int maxBatch) {
    this(host, port, modelRepository, maxBatch, ServerRunner.NO_METRICS);
  }

  public DenoiserConfig(String host, int port, Path modelRepository) {
    this(host, port, modelRepository, DEFAULT_MAX_BATCH);
  }
}
