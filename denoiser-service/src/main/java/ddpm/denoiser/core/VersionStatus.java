package ddpm.denoiser.core;

/**
 * One version's state, with the reason when it was refused or unloaded, and the device it runs on while READY
 * ({@code cpu}, {@code gpu:0}; empty in every other state).
 */
public record VersionStatus(long version, VersionState state, String reason, String device) {}
