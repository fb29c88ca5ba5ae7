package ddpm.cli;

import picocli.CommandLine.Option;

/**
 * The denoiser's {@code --device}, {@code --precision} (also the trainer's in {@code serve trainer} and
 * {@code up}) and {@code --group-norm}, shared by {@code serve}, {@code up}, and the commands whose embedded suite runs networks
 * ({@code sample}, {@code nll}; a --target's denoiser keeps its own).
 * Commands turn them into tensorflow-runtime's {@code DeviceChoice}, {@code PrecisionChoice} and {@code GroupNormKernel}
 * inside {@code call()}:
 * picocli reflects on every command's fields and methods as the command line is built, and the scheduler and sampler
 * images carry no tensorflow-runtime.
 */
final class DeviceOptions {
  static final String FLAG = "--device";
  static final String PRECISION_FLAG = "--precision";
  static final String GROUP_NORM_FLAG = "--group-norm";

  @Option(names = FLAG, defaultValue = "auto", paramLabel = "cpu|gpu|auto",
      description = "Denoiser: where its networks run. auto (default): the GPU when TensorFlow sees one (the GPU"
          + " build on a machine with an NVIDIA GPU), else the CPU; gpu: fail at start when it sees none.")
  String device;

  @Option(names = PRECISION_FLAG, defaultValue = "auto", paramLabel = "fp32|bf16|auto",
      description = "Denoiser (and in serve trainer and up, the trainer): the arithmetic of the networks'"
          + " convolutions and matrix products. auto (default): bf16 where it pays, for the denoiser on a CPU with"
          + " bf16 units (amx_bf16 or avx512_bf16), for the trainer on one with AMX (amx_bf16); else fp32. bf16:"
          + " fail at start where it would not run (the GPU, other CPUs). x_t and eps, and the trainer's weights,"
          + " stay float32.")
  String precision;

  @Option(names = GROUP_NORM_FLAG, defaultValue = "fused", paramLabel = "fused|stock",
      description = "Denoiser: how its CPU networks run each GroupNorm followed by SiLU. fused (default): as one"
          + " kernel of this project's, where it was built (gcc) and loads, else as stock; stock: TensorFlow's own"
          + " ops. eps agrees within float rounding.")
  String groupNorm;
}
