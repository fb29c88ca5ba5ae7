package ddpm.sampler.core;

/**
 * The images of one request: {@code pixels} is uint8 [N, H, W, C] row-major, in the model's image shape,
 * produced by {@code model} (name and resolved version) over {@code steps} denoiser calls; {@code classLabels} is
 * the class each image was asked for, one per image, or empty when the request asked for none.
 */
public record Samples(ModelSpec model, int numImages, byte[] pixels, int steps, int[] classLabels) {}
