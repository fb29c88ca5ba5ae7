package ddpm.denoiser.core;

import ddpm.diffusion.Echo;
import ddpm.diffusion.sampling.ExtraInput;
import java.util.Map;

/**
 * One PredictNoise call, decoded: x_t as NHWC values with its shape, t with its shape, and the extra inputs
 * by name (field {@code inputs}), each as sent, to be checked against the version's declared ones.
 */
public record NoiseRequest(String model, long version, float[] xt, long[] xtShape, int[] t, long[] tShape,
    Map<String, ExtraInput> inputs) {
  /** How errors name the extra input {@code name}: {@code inputs["y"]}. */
  public static String inputField(String name) {
    return "inputs[" + Echo.quoted(name) + "]";
  }
}
