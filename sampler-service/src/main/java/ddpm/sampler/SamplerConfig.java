package ddpm.sampler;

import java.util.Map;

/**
 * Settings of one sampler: where it listens, the denoiser and scheduler it drives (HOST:PORT or any gRPC
 * target), and the most images one request may ask for.
 */
public record SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 50053;
  public static final String DEFAULT_DENOISER = "localhost:50052";
  public static final String DEFAULT_SCHEDULER = "localhost:50051";
  public static final int DEFAULT_MAX_IMAGES = 256;

  public SamplerConfig {
    requireText(host, "host");
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535] (0 picks a free port), got " + port);
    }
    if (maxImages < 1) {
      throw new IllegalArgumentException("max_images must be ≥ 1, got " + maxImages);
    }
  }

  /**
   * The defaults, overridden by DDPM_SAMPLER_HOST, DDPM_SAMPLER_PORT, DDPM_DENOISER_TARGET,
   * DDPM_SCHEDULER_TARGET and DDPM_SAMPLER_MAX_IMAGES where set.
   */
  public static SamplerConfig fromEnvironment(Map<String, String> env) {
    return new SamplerConfig(
        env.getOrDefault("DDPM_SAMPLER_HOST", DEFAULT_HOST),
        Integer.parseInt(env.getOrDefault("DDPM_SAMPLER_PORT", String.valueOf(DEFAULT_PORT))),
        env.getOrDefault("DDPM_DENOISER_TARGET", DEFAULT_DENOISER),
        env.getOrDefault("DDPM_SCHEDULER_TARGET", DEFAULT_SCHEDULER),
        Integer.parseInt(env.getOrDefault("DDPM_SAMPLER_MAX_IMAGES", String.valueOf(DEFAULT_MAX_IMAGES))));
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }
}
