package ddpm.sampler;

/**
 * Settings of one sampler: where it listens, the denoiser and scheduler it drives (HOST:PORT or any gRPC
 * target), and the most images one request may ask for.
 */
public record SamplerConfig(String host, int port, String denoiserTarget, String schedulerTarget, int maxImages) {
  public static final int DEFAULT_MAX_IMAGES = 256;

  public SamplerConfig {
    requireText(denoiserTarget, "denoiser_target");
    requireText(schedulerTarget, "scheduler_target");
    if (maxImages < 1) {
      throw new IllegalArgumentException("max_images must be ≥ 1, got " + maxImages);
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be given");
    }
  }
}
