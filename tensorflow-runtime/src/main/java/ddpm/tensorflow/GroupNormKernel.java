package ddpm.tensorflow;

/**
 * How a network's GroupNorm followed by SiLU runs on the CPU, as the denoiser's {@code --group-norm} names it:
 * {@code fused}, one kernel of this project's (ddpm.tensorflow.kernels) in place of the pair, where the kernel was
 * built and loads; or {@code stock}, the SavedModel's own TensorFlow ops.
 */
public enum GroupNormKernel {
  STOCK("stock"),
  FUSED("fused");

  private final String flagValue;

  GroupNormKernel(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The lowercase name the command line, logs and benchmarks use. */
  public String flagValue() {
    return flagValue;
  }

  /** The kernel named {@code value}; {@code field} names the option in the error. */
  public static GroupNormKernel parse(String value, String field) {
    return FlagValues.parse(values(), GroupNormKernel::flagValue, value, field);
  }

  @Override
  public String toString() {
    return flagValue;
  }
}
