package ddpm.denoiser.core;

/**
 * One version's state, with the reason when it was refused or unloaded, and the device, precision and GroupNorm
 * kernel it runs with while READY ({@code cpu}, {@code gpu:0}; {@code fp32}, {@code bf16}; {@code fused},
 * {@code stock}; empty in every other state).
 */
public record VersionStatus(long version, VersionState state, String reason, String device, String precision,
    String groupNorm) {}
