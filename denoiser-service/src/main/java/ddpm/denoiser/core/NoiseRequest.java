package ddpm.denoiser.core;

/** One PredictNoise call, decoded: x_t as NHWC values with its shape, t with its shape. */
public record NoiseRequest(String model, long version, float[] xt, long[] xtShape, int[] t, long[] tShape) {}
