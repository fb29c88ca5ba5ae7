package ddpm.denoiser.engine;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.Precision;
import java.util.Map;

/**
 * A loaded ε_θ network: {@link #predict} maps x_t (NHWC, flattened) and one 0-based timestep per image, plus
 * the {@linkplain #extraInputs extra inputs} it declares, to ε of the same shape as x_t. Implementations are
 * safe to call from many threads at once.
 */
public interface EpsNetwork extends EpsModel, AutoCloseable {
  /** The inputs every call must carry besides x_t and t, by name; none for an unconditional network. */
  default Map<String, InputSpec> extraInputs() {
    return Map.of();
  }

  /**
   * Where it runs, as clients and metrics name it ({@code cpu}, {@code gpu:0}); a network in plain Java runs on the
   * CPU.
   */
  default String device() {
    return ComputeDevice.CPU.label();
  }

  /** The arithmetic it runs in, as clients and metrics name it ({@code fp32}, {@code bf16}); plain Java is fp32. */
  default String precision() {
    return Precision.FP32.label();
  }

  /**
   * How its GroupNorm followed by SiLU runs, as clients and metrics name it ({@code fused}, {@code stock}); a network
   * in plain Java has no fused kernel.
   */
  default String groupNorm() {
    return GroupNormKernel.STOCK.flagValue();
  }

  @Override
  void close();
}
