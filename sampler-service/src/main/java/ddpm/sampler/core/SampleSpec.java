package ddpm.sampler.core;

import ddpm.diffusion.guidance.GuidanceInterval;
import ddpm.diffusion.sampling.SamplerSettings;

/**
 * One sampling request in domain terms: version 0 asks for the denoiser's default version (its highest loaded
 * one), steps 0 for every step of its schedule, and a null {@code initialNoise} for x_T drawn from the seed. The
 * images are those at {@code imageOffset} onwards in the seed's sequence (see
 * {@link ddpm.diffusion.sampling.NoiseStreams}). {@code classLabels} (none, one for all, or one per image) and
 * the guidance scale w are checked against the model's classes by
 * {@link ddpm.diffusion.guidance.ClassConditioning}; a null {@code guidanceInterval} guides every step. A null
 * {@code edit} is plain generation; {@code previewEvery} k > 0
 * shows the x_t and x̂₀ of every k-th step and of the last (see {@link ddpm.diffusion.sampling.Previews}).
 */
public record SampleSpec(String model, long version, int numImages, SamplerSettings sampler, int steps, long seed,
    long imageOffset, InitialNoise initialNoise, int[] classLabels, double guidanceScale,
    GuidanceInterval guidanceInterval, SampleEdit edit, int previewEvery) {
  /** Plain generation without previews, guided (w &gt; 0) at every step. */
  public SampleSpec(String model, long version, int numImages, SamplerSettings sampler, int steps, long seed,
      long imageOffset, InitialNoise initialNoise, int[] classLabels, double guidanceScale) {
    this(model, version, numImages, sampler, steps, seed, imageOffset, initialNoise, classLabels, guidanceScale,
        null, null, 0);
  }
}
