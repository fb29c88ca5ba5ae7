package ddpm.sampler;

import static ddpm.grpc.ConfigChecks.requireAtLeast;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;
import static ddpm.grpc.ConfigChecks.requireText;

import ddpm.grpc.Endpoint;
import ddpm.grpc.schedule.RemoteScheduleSource;
import java.time.Duration;

/**
 * Settings of one sampler: where it listens (and serves its Prometheus metrics, if it does), the denoiser
 * and scheduler it drives (HOST:PORT, a list HOST:PORT,HOST:PORT of replicas, or any gRPC name such as
 * dns:///NAME:PORT), dialed with the endpoint's channel credentials, the most images one request may ask for,
 * the deadlines of one denoiser call (a step, or model info) and of one scheduler call when the request's
 * own deadline is later or absent, how many requests are sampled at once, and how many more may wait for
 * one of those to end before a request is refused.
 */
public record SamplerConfig(Endpoint endpoint, String denoiserTarget, String schedulerTarget, int maxImages,
    Duration denoiserCallTimeout, Duration schedulerCallTimeout, int maxConcurrentRequests,
    int maxQueuedRequests) {
  public static final int DEFAULT_MAX_IMAGES = 256;
  /**
   * Each request's thread mostly waits on the denoiser, whose dynamic batching merges the requests' steps:
   * docs/benchmarks.md measures 16 concurrent one-image requests sharing one engine call per step.
   */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;
  /** A burst of four times the running requests waits instead of being refused. */
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 64;
  /** Far above one step of the largest batch on a CPU, far below a hung denoiser going unnoticed. */
  public static final int DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS = 60;
  public static final Duration DEFAULT_DENOISER_CALL_TIMEOUT =
      Duration.ofSeconds(DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS);

  public SamplerConfig {
    requireSet(endpoint, "endpoint");
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    requireAtLeast(maxImages, 1, "max_images");
    requirePositive(denoiserCallTimeout, "denoiser_call_timeout");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
    requireAtLeast(maxConcurrentRequests, 1, "max_concurrent_requests");
    requireAtLeast(maxQueuedRequests, 0, "max_queued_requests");
  }

  /** With the default image limit, call timeouts and request limits. */
  public static SamplerConfig of(Endpoint endpoint, String denoiserTarget, String schedulerTarget) {
    return new SamplerConfig(endpoint, denoiserTarget, schedulerTarget, DEFAULT_MAX_IMAGES,
        DEFAULT_DENOISER_CALL_TIMEOUT, RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_CONCURRENT_REQUESTS,
        DEFAULT_MAX_QUEUED_REQUESTS);
  }

  public SamplerConfig withMaxImages(int maxImages) {
    return new SamplerConfig(endpoint, denoiserTarget, schedulerTarget, maxImages, denoiserCallTimeout,
        schedulerCallTimeout, maxConcurrentRequests, maxQueuedRequests);
  }

  public SamplerConfig withRequestLimits(int maxConcurrentRequests, int maxQueuedRequests) {
    return new SamplerConfig(endpoint, denoiserTarget, schedulerTarget, maxImages, denoiserCallTimeout,
        schedulerCallTimeout, maxConcurrentRequests, maxQueuedRequests);
  }
}
