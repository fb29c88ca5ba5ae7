package ddpm.diffusion.schedule;

import ddpm.diffusion.Echo;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which K of the T network timesteps a respaced schedule keeps (docs/math.md §12), named on the wire and on the
 * command line in lowercase.
 */
public enum SpacingKind {
  /** Evenly spaced over [0, T−1], both ends kept: improved-diffusion's respacing, the default. */
  EVEN("even", "evenly spaced over [0, T-1], both ends kept (improved-diffusion)") {
    @Override
    int[] keptIndices(double[] alphasCumprod, int steps, double rho) {
      return Respacing.keptIndices(alphasCumprod.length, steps);
    }
  },
  /** round(T − i·T/K) − 1: T−1 kept, the lowest kept timestep about T/K − 1 (Lin et al. 2024, diffusers). */
  TRAILING("trailing", "round(T - i*T/K) - 1: starts at T-1, ends near T/K - 1 (Lin et al. 2024)") {
    @Override
    int[] keptIndices(double[] alphasCumprod, int steps, double rho) {
      return Respacing.trailingIndices(alphasCumprod.length, steps);
    }
  },
  /** Karras et al.'s σ spacing with exponent ρ between the schedule's σ_min and σ_max, each at its nearest timestep. */
  KARRAS("karras", "Karras et al. 2022 sigma spacing with exponent rho, each sigma at its nearest timestep") {
    @Override
    int[] keptIndices(double[] alphasCumprod, int steps, double rho) {
      return Respacing.karrasIndices(alphasCumprod, steps, rho);
    }
  };

  private final String wireName;
  private final String description;

  SpacingKind(String wireName, String description) {
    this.wireName = wireName;
    this.description = description;
  }

  /** The lowercase name used in requests and on the command line. */
  public String wireName() {
    return wireName;
  }

  /** One line of help, plain ASCII. */
  public String description() {
    return description;
  }

  /** The kind named {@code wireName} (or its constant's name); otherwise an error naming {@code field}. */
  public static SpacingKind parse(String wireName, String field) {
    for (SpacingKind kind : values()) {
      if (kind.wireName.equals(wireName) || kind.name().equals(wireName)) {
        return kind;
      }
    }
    String allowed = Arrays.stream(values()).map(k -> '"' + k.wireName + '"').collect(Collectors.joining(", "));
    throw new IllegalArgumentException(field + " must be one of " + allowed + ", got " + Echo.quoted(wireName));
  }

  /**
   * K strictly increasing timesteps in [0, T−1] of the full schedule whose abar is {@code alphasCumprod}
   * (length T), for 1 ≤ K ≤ T.
   */
  abstract int[] keptIndices(double[] alphasCumprod, int steps, double rho);
}
