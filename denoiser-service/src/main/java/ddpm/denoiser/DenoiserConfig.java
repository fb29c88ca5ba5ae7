package ddpm.denoiser;

import static ddpm.grpc.ConfigChecks.requireNonNegative;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;

import ddpm.denoiser.batch.BatchingConfig;
import ddpm.grpc.ServerRunner;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one denoiser: where it listens, the model repository it serves, how it batches calls, how
 * often it looks for new versions, how long a replaced version stays loaded for requests pinned to it, and
 * the port of its Prometheus metrics ({@link ServerRunner#NO_METRICS}: none).
 */
public record DenoiserConfig(String host, int port, Path modelRepository, BatchingConfig batching,
    Duration repositoryPoll, Duration unloadGrace, int metricsPort) {
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_REPOSITORY_POLL = "PT5S";
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_UNLOAD_GRACE = "PT2M";

  public DenoiserConfig {
    requireSet(modelRepository, "model_repository");
    requireSet(batching, "batching");
    requirePositive(repositoryPoll, "repository_poll");
    requireNonNegative(unloadGrace, "unload_grace");
  }

  public DenoiserConfig(String host, int port, Path modelRepository, BatchingConfig batching,
      Duration repositoryPoll, Duration unloadGrace) {
    this(host, port, modelRepository, batching, repositoryPoll, unloadGrace, ServerRunner.NO_METRICS);
  }

  public DenoiserConfig(String host, int port, Path modelRepository) {
    this(host, port, modelRepository, BatchingConfig.DEFAULT, Duration.parse(DEFAULT_REPOSITORY_POLL),
        Duration.parse(DEFAULT_UNLOAD_GRACE));
  }

  /** These settings with metrics served on {@code metricsPort}. */
  public DenoiserConfig withMetricsPort(int metricsPort) {
    return new DenoiserConfig(host, port, modelRepository, batching, repositoryPoll, unloadGrace, metricsPort);
  }
}
