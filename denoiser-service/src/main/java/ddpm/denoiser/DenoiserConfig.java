package ddpm.denoiser;

import static ddpm.grpc.ConfigChecks.requireNonNegative;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;

import ddpm.denoiser.batch.BatchingConfig;
import ddpm.grpc.Endpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one denoiser: where it listens (and serves its Prometheus metrics, if it does), the model
 * repository it serves, how it batches calls, how often it looks for new versions, and how long a replaced
 * version stays loaded for requests pinned to it.
 */
public record DenoiserConfig(Endpoint endpoint, Path modelRepository, BatchingConfig batching,
    Duration repositoryPoll, Duration unloadGrace) {
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_REPOSITORY_POLL = "PT5S";
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_UNLOAD_GRACE = "PT2M";

  public DenoiserConfig {
    requireSet(endpoint, "endpoint");
    requireSet(modelRepository, "model_repository");
    requireSet(batching, "batching");
    requirePositive(repositoryPoll, "repository_poll");
    requireNonNegative(unloadGrace, "unload_grace");
  }

  /** The models of {@code modelRepository} with the default batching, polling and unload grace. */
  public static DenoiserConfig of(Endpoint endpoint, Path modelRepository) {
    return new DenoiserConfig(endpoint, modelRepository, BatchingConfig.DEFAULT,
        Duration.parse(DEFAULT_REPOSITORY_POLL), Duration.parse(DEFAULT_UNLOAD_GRACE));
  }
}
