package ddpm.denoiser;

import static ddpm.grpc.ConfigChecks.requireAtLeast;
import static ddpm.grpc.ConfigChecks.requireNonNegative;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;

import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.core.ModelLoading;
import ddpm.grpc.Endpoint;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one denoiser: where it listens (and serves its Prometheus metrics, if it does), the model
 * repository it serves, how it batches calls, how often it looks for new versions, how long a replaced
 * version stays loaded for requests pinned to it, the most images one PredictNoise call may hold, the device
 * and precision its networks run in, whether models load at start or when first asked for, and how their GroupNorm
 * and SiLU run on the CPU.
 */
public record DenoiserConfig(Endpoint endpoint, Path modelRepository, BatchingConfig batching,
    Duration repositoryPoll, Duration unloadGrace, int maxImagesPerCall, DeviceChoice device,
    PrecisionChoice precision, ModelLoading modelLoading, GroupNormKernel groupNorm) {
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_REPOSITORY_POLL = "PT5S";
  /** ISO-8601, as the command line takes it. */
  public static final String DEFAULT_UNLOAD_GRACE = "PT2M";
  /**
   * Four times a sampler's default request (256 images), a quarter of the default queue: one caller's call
   * never fills a version's queue alone.
   */
  public static final int DEFAULT_MAX_IMAGES_PER_CALL = 1024;

  public DenoiserConfig {
    requireSet(endpoint, "endpoint");
    requireSet(modelRepository, "model_repository");
    requireSet(batching, "batching");
    requirePositive(repositoryPoll, "repository_poll");
    requireNonNegative(unloadGrace, "unload_grace");
    requireAtLeast(maxImagesPerCall, 1, "max_images_per_call");
    requireSet(device, "device");
    requireSet(precision, "precision");
    requireSet(modelLoading, "model_loading");
    requireSet(groupNorm, "group_norm");
    if (maxImagesPerCall > batching.queueCapacity()) {
      throw new IllegalArgumentException("max_images_per_call: must be ≤ queue_capacity ("
          + batching.queueCapacity() + ") so that a call that is allowed can be queued, got " + maxImagesPerCall);
    }
  }

  /** Every model loaded at start, with TensorFlow's own GroupNorm and SiLU ops (see {@link #withGroupNorm}). */
  public DenoiserConfig(Endpoint endpoint, Path modelRepository, BatchingConfig batching, Duration repositoryPoll,
      Duration unloadGrace, int maxImagesPerCall, DeviceChoice device, PrecisionChoice precision) {
    this(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall, device, precision,
        ModelLoading.AT_START, GroupNormKernel.STOCK);
  }

  /**
   * In fp32: exact float32 arithmetic unless a caller asks for bf16, which moves ε (see
   * {@link #withPrecision(PrecisionChoice)}).
   */
  public DenoiserConfig(Endpoint endpoint, Path modelRepository, BatchingConfig batching, Duration repositoryPoll,
      Duration unloadGrace, int maxImagesPerCall, DeviceChoice device) {
    this(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall, device,
        PrecisionChoice.FP32);
  }

  /** On the GPU when TensorFlow sees one, the CPU otherwise, in fp32. */
  public DenoiserConfig(Endpoint endpoint, Path modelRepository, BatchingConfig batching, Duration repositoryPoll,
      Duration unloadGrace, int maxImagesPerCall) {
    this(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall, DeviceChoice.AUTO);
  }

  /**
   * The models of {@code modelRepository} with the default batching, polling, unload grace and call size, on the
   * GPU when TensorFlow sees one, in fp32.
   */
  public static DenoiserConfig of(Endpoint endpoint, Path modelRepository) {
    return new DenoiserConfig(endpoint, modelRepository, BatchingConfig.DEFAULT,
        Duration.parse(DEFAULT_REPOSITORY_POLL), Duration.parse(DEFAULT_UNLOAD_GRACE), DEFAULT_MAX_IMAGES_PER_CALL);
  }

  /** The same settings on {@code device}. */
  public DenoiserConfig withDevice(DeviceChoice device) {
    return new DenoiserConfig(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall,
        device, precision, modelLoading, groupNorm);
  }

  /** The same settings in {@code precision}. */
  public DenoiserConfig withPrecision(PrecisionChoice precision) {
    return new DenoiserConfig(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall,
        device, precision, modelLoading, groupNorm);
  }

  /**
   * The same settings, each CPU network's GroupNorm followed by SiLU run as {@code groupNorm} says: {@code FUSED},
   * one kernel of tensorflow-runtime's where it loads (the same ε within float rounding, faster), else TensorFlow's
   * ops.
   */
  public DenoiserConfig withGroupNorm(GroupNormKernel groupNorm) {
    return new DenoiserConfig(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall,
        device, precision, modelLoading, groupNorm);
  }

  /** The same settings, models loading as {@code modelLoading} says. */
  public DenoiserConfig withModelLoading(ModelLoading modelLoading) {
    return new DenoiserConfig(endpoint, modelRepository, batching, repositoryPoll, unloadGrace, maxImagesPerCall,
        device, precision, modelLoading, groupNorm);
  }
}
