package ddpm.sampler.core;

import ddpm.diffusion.sampling.EpsModel;

/** The denoiser as the sampling loop sees it; the client package implements it over gRPC. */
public interface Denoiser {
  /**
   * The card of {@code model} at {@code version} (0: the denoiser's default, its highest loaded version), with
   * the version resolved. An unknown model or version fails the way the denoiser reports it.
   */
  ModelSpec describe(String model, long version);

  /** ε_θ of exactly {@code model}'s name and version, for every call. */
  EpsModel epsModel(ModelSpec model);
}
