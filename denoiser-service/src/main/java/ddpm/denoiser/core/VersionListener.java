package ddpm.denoiser.core;

/**
 * What the model versions report as they load, serve and unload; metrics implement it (as they do the batcher's
 * {@link ddpm.denoiser.batch.BatchListener}), so that the registry holds no metrics code.
 */
public interface VersionListener {
  VersionListener NONE = new VersionListener() {};

  /** {@code version} of {@code model} entered {@code state}; called under the version's lock, so keep it cheap. */
  default void onState(String model, long version, VersionState state) {}

  /**
   * A load made {@code version} of {@code model} READY on {@code device} in {@code precision}, its GroupNorm+SiLU
   * {@code groupNorm} ({@code fused}, {@code stock}), {@code loadNanos} after it began (warm-up included); called under the version's lock, right after {@link #onState} told of READY.
   */
  default void onLoaded(String model, long version, String device, String precision, String groupNorm,
      long loadNanos) {}

  /** The version's folder left the repository and the registry forgot it. */
  default void onRemoved(String model, long version) {}
}
