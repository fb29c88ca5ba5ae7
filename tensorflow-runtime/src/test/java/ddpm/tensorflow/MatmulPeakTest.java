package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class MatmulPeakTest {
  @Test
  void fp32IsTheReferenceProduct() {
    try (MatmulPeak peak = MatmulPeak.open(ComputeDevice.CPU, Precision.FP32, 64, 0)) {
      peak.multiply();
      assertEquals(2L * 64 * 64 * 64, peak.flops());
      assertEquals(0, peak.relativeRmsFromFp32());
    }
  }

  /**
   * The bf16 session config rewrites the float32 graph's product to bfloat16: its result moves by about bfloat16's
   * unit roundoff (2^-8 ≈ 3.9e-3) relative to fp32's, neither not at all (no rewrite) nor by order 1 (a fault).
   */
  @Test
  void bf16RewritesTheProductToBfloat16() {
    assumeTrue(CpuFlags.ofThisMachine().bf16(), "this CPU has no bf16 units");
    try (MatmulPeak peak = MatmulPeak.open(ComputeDevice.CPU, Precision.BF16, 64, 0)) {
      peak.multiply();
      double relative = peak.relativeRmsFromFp32();
      assertTrue(relative > 1e-4 && relative < 2e-2, "relative RMS from fp32 " + relative);
    }
  }
}
