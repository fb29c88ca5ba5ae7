package ddpm.diffusion.schedule;

/**
 * How a schedule of T steps is respaced to K (docs/math.md §12): the {@link SpacingKind} and, for KARRAS, its ρ.
 * ρ is checked whatever the kind, so that a bad value is refused rather than silently ignored, and kept only for
 * KARRAS, so that two spacings that keep the same timesteps are equal.
 */
public record Spacing(SpacingKind kind, double rho) {
  /** Karras et al.'s ρ = 7, which they find balances the error over the σ range (their §3). */
  public static final double DEFAULT_RHO = 7;
  /** The default: improved-diffusion's even respacing. */
  public static final Spacing EVEN = new Spacing(SpacingKind.EVEN, DEFAULT_RHO);

  /** @param rho finite and &gt; 0 (field "karras_rho") */
  public Spacing {
    if (kind == null) {
      throw new IllegalArgumentException("spacing must be given");
    }
    checkRho(rho);
    if (kind != SpacingKind.KARRAS) {
      rho = DEFAULT_RHO;
    }
  }

  /** {@code kind} with the default ρ. */
  public static Spacing of(SpacingKind kind) {
    return new Spacing(kind, DEFAULT_RHO);
  }

  /** Refuses a ρ that is not finite and positive, naming the request field. */
  public static void checkRho(double rho) {
    if (!(rho > 0 && rho < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("karras_rho must be finite and > 0, got " + rho);
    }
  }

  /** The timesteps this spacing keeps of the full schedule with abar {@code alphasCumprod}, K of them. */
  int[] keptIndices(double[] alphasCumprod, int steps) {
    return kind.keptIndices(alphasCumprod, steps, rho);
  }

  @Override
  public String toString() {
    return kind == SpacingKind.KARRAS ? kind.wireName() + " (rho " + rho + ")" : kind.wireName();
  }
}
