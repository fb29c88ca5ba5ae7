package ddpm.tensorflow;

/**
 * The arithmetic a network's matrix products and convolutions run in: {@code fp32} throughout, or {@code bf16}
 * (TensorFlow's oneDNN auto mixed precision: the graph's convolutions and matrix products in bfloat16 on the CPU's
 * bf16 units, with casts around them, while the signature's inputs and outputs stay float32).
 */
public enum Precision {
  FP32("fp32"),
  BF16("bf16");

  private final String label;

  Precision(String label) {
    this.label = label;
  }

  /** How clients and metrics name it: {@code fp32} or {@code bf16}. */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
