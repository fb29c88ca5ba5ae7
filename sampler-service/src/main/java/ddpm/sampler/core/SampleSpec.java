package ddpm.sampler.core;

import ddpm.diffusion.sampling.VarianceKind;

/** One sampling request in domain terms; version 0 asks for the model's highest version. */
public record SampleSpec(String model, long version, int numImages, VarianceKind variance, long seed) {}
