package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

class PrecisionChoiceTest {
  private static final CpuFlags BF16_CPU = new CpuFlags(Set.of("avx512f", "avx512_bf16"));
  private static final CpuFlags AMX_CPU = new CpuFlags(Set.of("avx512f", "avx512_bf16", "amx_bf16", "amx_tile"));
  private static final CpuFlags AVX512_CPU = new CpuFlags(Set.of("avx512f", "avx512_vnni"));

  @Test
  void theFlagTakesFp32Bf16OrAutoAndNamesItselfOtherwise() {
    assertSame(PrecisionChoice.BF16, PrecisionChoice.parse("bf16", "--precision"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.parse("fp16", "--precision"));
    assertEquals("--precision must be one of fp32, bf16, auto, got \"fp16\"", e.getMessage());
  }

  @Test
  void autoIsBf16OnlyOnACpuWithBf16Units() {
    assertSame(Precision.BF16, PrecisionChoice.AUTO.select(ComputeDevice.CPU, BF16_CPU, "--precision"));
    assertSame(Precision.FP32, PrecisionChoice.AUTO.select(ComputeDevice.CPU, AVX512_CPU, "--precision"));
    assertSame(Precision.FP32, PrecisionChoice.AUTO.select(ComputeDevice.GPU, BF16_CPU, "--precision"));
  }

  @Test
  void fp32IsFp32EverywhereAndBf16WhereItRuns() {
    assertSame(Precision.FP32, PrecisionChoice.FP32.select(ComputeDevice.CPU, BF16_CPU, "--precision"));
    assertSame(Precision.FP32, PrecisionChoice.FP32.select(ComputeDevice.GPU, AVX512_CPU, "--precision"));
    assertSame(Precision.BF16, PrecisionChoice.BF16.select(ComputeDevice.CPU, BF16_CPU, "--precision"));
  }

  @Test
  void bf16OnACpuWithoutBf16UnitsFailsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.BF16.select(ComputeDevice.CPU, AVX512_CPU, "--precision"));
    assertEquals("--precision bf16: this CPU has no bf16 units (neither amx_bf16 nor avx512_bf16 among its"
        + " /proc/cpuinfo flags), where TensorFlow would skip the rewrite and run float32; use --precision fp32 or"
        + " auto", e.getMessage());
  }

  @Test
  void bf16OnTheGpuFailsNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.BF16.select(ComputeDevice.GPU, BF16_CPU, "--precisions"));
    assertEquals("--precisions bf16: TensorFlow's bf16 rewrite (oneDNN) covers CPU kernels only, and the networks"
        + " run on gpu:0; use --precisions fp32 or auto", e.getMessage());
  }

  @Test
  void autoTrainsInBf16OnlyWithAmxWhereBf16UnitsAloneDoNotPay() {
    assertSame(Precision.BF16, PrecisionChoice.AUTO.selectForTraining(AMX_CPU, "--precision"));
    assertSame(Precision.FP32, PrecisionChoice.AUTO.selectForTraining(BF16_CPU, "--precision"));
    assertSame(Precision.FP32, PrecisionChoice.AUTO.selectForTraining(AVX512_CPU, "--precision"));
  }

  @Test
  void explicitTrainingPrecisionsHoldWhereTheyRunAndBf16WithoutBf16UnitsFails() {
    assertSame(Precision.FP32, PrecisionChoice.FP32.selectForTraining(AMX_CPU, "--precision"));
    assertSame(Precision.BF16, PrecisionChoice.BF16.selectForTraining(BF16_CPU, "--precision"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.BF16.selectForTraining(AVX512_CPU, "--precision"));
    assertTrue(e.getMessage().startsWith("--precision bf16: this CPU has no bf16 units"), e.getMessage());
  }

  @Test
  void theBf16SessionTurnsOnTheOnednnRewriteAndFp32LeavesTheRewritesAlone() {
    ConfigProto bf16 = ComputeDevice.CPU.sessionConfig(Precision.BF16);
    assertEquals(RewriterConfig.Toggle.ON, bf16.getGraphOptions().getRewriteOptions()
        .getAutoMixedPrecisionOnednnBfloat16());
    assertEquals(0, bf16.getDeviceCountOrThrow("GPU"));
    ConfigProto fp32 = ComputeDevice.CPU.sessionConfig(Precision.FP32);
    assertFalse(fp32.hasGraphOptions());
  }
}
