package ddpm.sampler;

import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireText;

import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import java.time.Duration;

/**
 * Settings of one sampler: where it listens, the denoiser and scheduler it drives (HOST:PORT, a list
 * HOST:PORT,HOST:PORT of replicas, or any gRPC name such as dns:///NAME:PORT), the most images one request
 * may ask for, the deadlines of one denoiser call (a step, or model info) and of one scheduler call when the
 * request's own deadline is later or absent, and the port of its Prometheus metrics
 * ({@link ServerRunner#NO_METRICS}: none).
 */
public record SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages,
    Duration denoiserCallTimeout, Duration schedulerCallTimeout, int metricsPort) {
  public static final int DEFAULT_MAX_IMAGES = 256;
  /** Far above one step of the largest batch on a CPU, far below a hung denoiser going unnoticed. */
  public static final int DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS = 60;
  public static final Duration DEFAULT_DENOISER_CALL_TIMEOUT =
      Duration.ofSeconds(DEFAULT_DENOISER_CALL_TIMEOUT_SECONDS);

  public SamplerConfig {
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    if (maxImages < 1) {
      throw new IllegalArgumentException("max_images: must be ≥ 1, got " + maxImages);
    }
    requirePositive(denoiserCallTimeout, "denoiser_call_timeout");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
  }

  /** With the default scheduler call timeout and without metrics. */
  public SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages,
      Duration denoiserCallTimeout) {
    this(host, port, denoiserTarget, schedulerTarget, maxImages, denoiserCallTimeout,
        RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, ServerRunner.NO_METRICS);
  }

  /** With the default call timeouts and without metrics. */
  public SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages) {
    this(host, port, denoiserTarget, schedulerTarget, maxImages, DEFAULT_DENOISER_CALL_TIMEOUT);
  }
}
