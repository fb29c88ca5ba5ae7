package ddpm.denoiser.core;

import ddpm.denoiser.engine.EpsNetwork;

/** A model version ready to evaluate: its card and its network. */
public record LoadedModel(VersionedCard card, EpsNetwork network) {}
