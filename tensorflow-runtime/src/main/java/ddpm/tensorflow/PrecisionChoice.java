package ddpm.tensorflow;

/**
 * The arithmetic a network should run in, as {@code --precision} names it: {@code fp32}, {@code bf16}, or
 * {@code auto} (bf16 where it pays: serving on a CPU with bf16 units, training on a CPU with AMX; fp32 otherwise).
 */
public enum PrecisionChoice {
  FP32("fp32"),
  BF16("bf16"),
  AUTO("auto");

  private final String flagValue;

  PrecisionChoice(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The lowercase name the command line takes. */
  public String flagValue() {
    return flagValue;
  }

  /** The choice named {@code value}; {@code field} names the option in the error. */
  public static PrecisionChoice parse(String value, String field) {
    return FlagValues.parse(values(), PrecisionChoice::flagValue, value, field);
  }

  /** {@link #select(ComputeDevice, CpuFlags, String)} with this machine's CPU flags. */
  public Precision select(ComputeDevice device, String field) {
    return select(device, CpuFlags.ofThisMachine(), field);
  }

  /**
   * The precision this choice means for networks on {@code device} of a machine whose CPU has {@code cpu}'s flags.
   * An explicit {@code bf16} fails with an IllegalArgumentException naming {@code field} where it would not happen:
   * on the GPU (the oneDNN rewrite covers CPU kernels only) and on a CPU without bf16 units (TensorFlow would skip
   * the rewrite and run float32 while the denoiser reported bf16).
   */
  public Precision select(ComputeDevice device, CpuFlags cpu, String field) {
    boolean bf16Runs = device == ComputeDevice.CPU && cpu.bf16();
    return switch (this) {
      case FP32 -> Precision.FP32;
      case AUTO -> bf16Runs ? Precision.BF16 : Precision.FP32;
      case BF16 -> {
        if (device != ComputeDevice.CPU) {
          throw new IllegalArgumentException(field + " bf16: TensorFlow's bf16 rewrite (oneDNN) covers CPU kernels"
              + " only, and the networks run on " + device.label() + "; use " + field + " fp32 or auto");
        }
        if (!bf16Runs) {
          throw new IllegalArgumentException(field + " bf16: this CPU has no bf16 units (neither amx_bf16 nor"
              + " avx512_bf16 among its /proc/cpuinfo flags), where TensorFlow would skip the rewrite and run"
              + " float32; use " + field + " fp32 or auto");
        }
        yield Precision.BF16;
      }
    };
  }

  /** {@link #selectForTraining(CpuFlags, String)} with this machine's CPU flags. */
  public Precision selectForTraining(String field) {
    return selectForTraining(CpuFlags.ofThisMachine(), field);
  }

  /**
   * The precision this choice means for a network trained on the CPU of a machine whose CPU has {@code cpu}'s flags.
   * {@code auto} is bf16 only with AMX ({@link CpuFlags#amx}): with AVX512_BF16 alone a bf16 training step was
   * 1.10–1.15× as fast, too little for its rounding. An explicit {@code bf16} fails as in
   * {@link #select(ComputeDevice, CpuFlags, String)} on a CPU without bf16 units.
   */
  public Precision selectForTraining(CpuFlags cpu, String field) {
    if (this == AUTO) {
      return cpu.amx() ? Precision.BF16 : Precision.FP32;
    }
    return select(ComputeDevice.CPU, cpu, field);
  }
}
