package ddpm.cli;

import ddpm.denoiser.batch.BatchingConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The denoiser's dynamic-batching flags, defaulting to {@link BatchingConfig#DEFAULT}. */
final class BatchingOptions {
  @Option(names = "--max-batch", defaultValue = "" + BatchingConfig.DEFAULT_MAX_BATCH,
      description = "Denoiser: most images in one engine call; larger calls are split (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-queue-delay", defaultValue = BatchingConfig.DEFAULT_MAX_QUEUE_DELAY, paramLabel = "DURATION",
      description = "Denoiser: how long an engine thread may wait for the calls its batch expects before running "
          + "it as it is, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration maxQueueDelay;

  @Option(names = "--queue-capacity", defaultValue = "" + BatchingConfig.DEFAULT_QUEUE_CAPACITY,
      description = "Denoiser: most images waiting per model version; more get RESOURCE_EXHAUSTED (default: "
          + "${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(names = "--engine-threads", defaultValue = "" + BatchingConfig.DEFAULT_ENGINE_THREADS,
      description = "Denoiser: engine calls of one version running at once (default: ${DEFAULT-VALUE}).")
  int engineThreads;

  @Option(names = "--no-batching", description = "Denoiser: run every call on its own, never merged with others.")
  boolean noBatching;

  BatchingConfig config() {
    return new BatchingConfig(!noBatching, maxBatch, maxQueueDelay, queueCapacity, engineThreads);
  }
}
