package ddpm.denoiser.core;

/** ε for every image of a request, NHWC, and the version that computed it. */
public record NoisePrediction(String model, long version, float[] eps, long[] shape) {}
