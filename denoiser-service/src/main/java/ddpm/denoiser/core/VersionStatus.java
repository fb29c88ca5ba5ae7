package ddpm.denoiser.core;

/** One version's state, with the reason when it was refused or unloaded. */
public record VersionStatus(long version, VersionState state, String reason) {}
