package ddpm.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The feature flags of this machine's CPU, as Linux lists them in /proc/cpuinfo ({@code avx512_bf16}, ...). */
public record CpuFlags(Set<String> flags) {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  public CpuFlags {
    flags = Set.copyOf(flags);
  }

  /** This machine's flags; none where /proc/cpuinfo cannot be read (not Linux, a sandbox). */
  public static CpuFlags ofThisMachine() {
    try {
      return parse(Files.readString(CPUINFO));
    } catch (IOException | SecurityException e) {
      return new CpuFlags(Set.of());
    }
  }

  /**
   * The flags of the first processor in a /proc/cpuinfo text (its {@code flags : ...} line; every core of a
   * machine lists the same); none when it has no such line.
   */
  public static CpuFlags parse(String cpuinfo) {
    return cpuinfo.lines()
        .map(line -> line.split(":", 2))
        .filter(field -> field.length == 2 && field[0].strip().equals("flags"))
        .findFirst()
        .map(field -> new CpuFlags(Arrays.stream(field[1].strip().split("\\s+"))
            .filter(flag -> !flag.isEmpty()).collect(Collectors.toSet())))
        .orElse(new CpuFlags(Set.of()));
  }

  /**
   * Whether the CPU multiplies bfloat16 in hardware (AMX tiles, or AVX-512's BF16 dot products): where it does
   * not, TensorFlow skips its bf16 rewrite with no more than a log line.
   */
  public boolean bf16() {
    return flags.contains("amx_bf16") || flags.contains("avx512_bf16");
  }

  /**
   * Whether the CPU has AMX tiles for bfloat16: where bf16 pays for training too (its backward convolutions gained
   * 1.31–1.36× there against 1.10–1.15× with AVX-512's BF16 dot products alone).
   */
  public boolean amx() {
    return flags.contains("amx_bf16");
  }
}
