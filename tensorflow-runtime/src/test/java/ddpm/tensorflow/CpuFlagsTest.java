package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuFlagsTest {
  /** Two processors of a Sapphire Rapids machine, abridged, as /proc/cpuinfo lists them. */
  private static final String SAPPHIRE_RAPIDS = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Platinum 8480+
      flags\t\t: fpu vme sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
      bugs\t\t: spectre_v1

      processor\t: 1
      vendor_id\t: GenuineIntel
      flags\t\t: fpu vme sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8
      """;

  @Test
  void theFlagsAreTheFirstProcessorsFlagsLine() {
    assertEquals(Set.of("fpu", "vme", "sse2", "avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "amx_int8"),
        CpuFlags.parse(SAPPHIRE_RAPIDS).flags());
  }

  @Test
  void amxOrAvx512Bf16MultipliesBfloat16AndAvx512AloneDoesNot() {
    assertTrue(CpuFlags.parse(SAPPHIRE_RAPIDS).bf16());
    assertTrue(CpuFlags.parse("flags\t: avx512f avx512_bf16\n").bf16());
    assertTrue(CpuFlags.parse("flags\t: avx512f amx_bf16 amx_tile\n").bf16());
    assertFalse(CpuFlags.parse("flags\t: sse2 avx2 avx512f avx512_vnni\n").bf16());
  }

  @Test
  void amxIsTheAmxBf16FlagAndAvx512Bf16AloneIsNotAmx() {
    assertTrue(CpuFlags.parse(SAPPHIRE_RAPIDS).amx());
    assertFalse(CpuFlags.parse("flags\t: avx512f avx512_bf16\n").amx());
    assertFalse(CpuFlags.parse("flags\t: avx512f amx_tile amx_int8\n").amx());
  }

  @Test
  void aTextWithoutAFlagsLineHasNoFlags() {
    assertEquals(Set.of(), CpuFlags.parse("processor\t: 0\nFeatures\t: fp asimd bf16\n").flags());
    assertEquals(Set.of(), CpuFlags.parse("").flags());
  }
}
