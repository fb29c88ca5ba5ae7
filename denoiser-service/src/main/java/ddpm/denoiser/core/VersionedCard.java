package ddpm.denoiser.core;

import ddpm.repository.ModelCard;

/** The card of one resolved model version; {@code name} is the repository folder it was found under. */
public record VersionedCard(String name, long version, ModelCard card) {}
