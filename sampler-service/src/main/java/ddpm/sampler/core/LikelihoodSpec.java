package ddpm.sampler.core;

import ddpm.diffusion.sampling.VarianceKind;
import java.util.List;

/**
 * One likelihood request in domain terms: the images as pixel values 0..255 with the shape the caller gave them
 * ([N, H, W, C] expected), the variances to evaluate the bound under, and the seed of the noise and the position of
 * the first image in its sequence. Version 0 asks for the denoiser's default version.
 */
public record LikelihoodSpec(String model, long version, long[] shape, byte[] pixels, List<VarianceKind> variances,
    long seed, long imageOffset) {}
