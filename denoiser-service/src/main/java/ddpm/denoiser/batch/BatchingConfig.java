package ddpm.denoiser.batch;

import static ddpm.grpc.ConfigChecks.requireNonNegative;

import java.time.Duration;

/**
 * How one model version turns concurrent PredictNoise calls into engine calls.
 *
 * @param enabled merge calls from different callers into one engine call; off, every call (or every chunk of
 *     a call above {@code maxBatch}) is its own engine call
 * @param maxBatch most images in one engine call; larger calls are split, never refused
 * @param maxQueueDelay how long an engine thread may wait for the calls its batch expects before it runs the
 *     batch as it is (see {@link DynamicBatcher})
 * @param queueCapacity most images waiting per model version; a call that does not fit is refused at once,
 *     so a burst costs callers a retry instead of the denoiser its memory
 * @param engineThreads engine calls of one version that may run at the same time
 */
public record BatchingConfig(boolean enabled, int maxBatch, Duration maxQueueDelay, int queueCapacity,
    int engineThreads) {
  public static final int DEFAULT_MAX_BATCH = 64;
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_MAX_QUEUE_DELAY = "PT0.01S";
  public static final int DEFAULT_QUEUE_CAPACITY = 4096;
  public static final int DEFAULT_ENGINE_THREADS = 1;
  public static final BatchingConfig DEFAULT = new BatchingConfig(true, DEFAULT_MAX_BATCH,
      Duration.parse(DEFAULT_MAX_QUEUE_DELAY), DEFAULT_QUEUE_CAPACITY, DEFAULT_ENGINE_THREADS);

  public BatchingConfig {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max_batch: must be ≥ 1, got " + maxBatch);
    }
    requireNonNegative(maxQueueDelay, "max_queue_delay");
    if (queueCapacity < maxBatch) {
      throw new IllegalArgumentException(
          "queue_capacity: must be ≥ max_batch (" + maxBatch + ") so that a full batch can wait, got " + queueCapacity);
    }
    if (engineThreads < 1) {
      throw new IllegalArgumentException("engine_threads: must be ≥ 1, got " + engineThreads);
    }
  }

  public BatchingConfig withEnabled(boolean on) {
    return new BatchingConfig(on, maxBatch, maxQueueDelay, queueCapacity, engineThreads);
  }
}
