package ddpm.sampler;

import ddpm.grpc.ServerRunner;

/**
 * Settings of one sampler: where it listens, the denoiser and scheduler it drives (HOST:PORT or any gRPC
 * target), the most images one request may ask for, and the port of its Prometheus metrics
 * ({@link ServerRunner#NO_METRICS}: none).
 */
public record SamplerConfig(
    String host, int port, String denoiserTarget, String schedulerTarget, int maxImages, int metricsPort) {
  public static final int DEFAULT_MAX_IMAGES = 256;

  public SamplerConfig {
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    if (maxImages < 1) {
      throw new IllegalArgumentException("max_images must be ≥ 1, got " + maxImages);
    }
  }

  public SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages) {
    this(host, port, denoiserTarget, schedulerTarget, maxImages, ServerRunner.NO_METRICS);
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }
}
