package ddpm.sampler;

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
 * and the deadlines of one denoiser call (a step, or model info) and of one scheduler call when the request's
 * own deadline is later or absent.
 */
public record SamplerConfig(Endpoint endpoint, String denoiserTarget, String schedulerTarget, int maxImages,
    Duration denoiserCallTimeout, Duration schedulerCallTimeout) {
  public static final int DEFAULT_MAX_IMAGES = 256;
  /** Far above one step of the largest batch on a CPU, far below a hung denoiser going unnoticed. */
  public static final int DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS = 60;
  public static final Duration DEFAULT_DENOISER_CALL_TIMEOUT =
      Duration.ofSeconds(DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS);

  public SamplerConfig {
    requireSet(endpoint, "endpoint");
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    if (maxImages < 1) {
      throw new IllegalArgumentException("max_images: must be ≥ 1, got " + maxImages);
    }
    requirePositive(denoiserCallTimeout, "denoiser_call_timeout");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
  }

  /** With the default image limit and call timeouts. */
  public static SamplerConfig of(Endpoint endpoint, String denoiserTarget, String schedulerTarget) {
    return new SamplerConfig(endpoint, denoiserTarget, schedulerTarget, DEFAULT_MAX_IMAGES,
        DEFAULT_DENOISER_CALL_TIMEOUT, RemoteScheduleSource.DEFAULT_CALL_TIMEOUT);
  }

  public SamplerConfig withMaxImages(int maxImages) {
    return new SamplerConfig(endpoint, denoiserTarget, schedulerTarget, maxImages, denoiserCallTimeout,
        schedulerCallTimeout);
  }
}
