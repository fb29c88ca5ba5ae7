package ddpm.diffusion.schedule;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Every per-step array of a noise schedule (docs/math.md §2), computed once in float64 from the betas alone.
 *
 * <p>A schedule has K steps, indexed by the position k = 0..K−1; position k is the network timestep
 * {@code timestepIndices()[k]} of the full schedule of T steps. Without respacing K = T and position k is
 * timestep k. The instance is immutable: every array accessor returns a fresh copy, so callers may keep or
 * change what they get. Callers in a loop should read each array once.
 *
 * <p>Linear betas use improved-diffusion's rescaling, linspace(1e-4 · 1000/T, 0.02 · 1000/T, T), which is
 * Ho et al.'s schedule exactly at T = 1000; both kinds cap beta at 0.999 (see {@link ScheduleKind}).
 */
public final class NoiseSchedule {
  public static final int MAX_TIMESTEPS = 100_000;

  private final ScheduleKind kind;
  private final int timesteps;
  private final int[] timestepIndices;
  private final double[] betas;
  private final double[] alphas;
  private final double[] alphasCumprod;
  private final double[] alphasCumprodPrev;
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtAlphasCumprodPrev;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] posteriorVariance;
  private final double[] posteriorLogVarianceClipped;
  private final double[] posteriorMeanCoefX0;
  private final double[] posteriorMeanCoefXt;

  private NoiseSchedule(ScheduleKind kind, int timesteps, int[] timestepIndices, double[] betas) {
    this.kind = kind;
    this.timesteps = timesteps;
    this.timestepIndices = timestepIndices;
    this.betas = betas;
    int steps = betas.length;
    alphas = new double[steps];
    alphasCumprod = new double[steps];
    alphasCumprodPrev = new double[steps];
    sqrtAlphasCumprod = new double[steps];
    sqrtAlphasCumprodPrev = new double[steps];
    sqrtOneMinusAlphasCumprod = new double[steps];
    posteriorVariance = new double[steps];
    posteriorMeanCoefX0 = new double[steps];
    posteriorMeanCoefXt = new double[steps];
    double abarPrev = 1;
    for (int k = 0; k < steps; k++) {
      double alpha = 1 - betas[k];
      double abar = abarPrev * alpha;
      alphas[k] = alpha;
      alphasCumprod[k] = abar;
      alphasCumprodPrev[k] = abarPrev;
      sqrtAlphasCumprod[k] = Math.sqrt(abar);
      sqrtAlphasCumprodPrev[k] = Math.sqrt(abarPrev);
      sqrtOneMinusAlphasCumprod[k] = Math.sqrt(1 - abar);
      posteriorVariance[k] = betas[k] * (1 - abarPrev) / (1 - abar);
      posteriorMeanCoefX0[k] = betas[k] * Math.sqrt(abarPrev) / (1 - abar);
      posteriorMeanCoefXt[k] = Math.sqrt(alpha) * (1 - abarPrev) / (1 - abar);
      abarPrev = abar;
    }
    posteriorLogVarianceClipped = logVarianceClipped(posteriorVariance, betas);
  }

  /** The full schedule of {@code timesteps} steps; T must be in [1, 100000] (field "timesteps"). */
  public static NoiseSchedule of(ScheduleKind kind, int timesteps) {
    checkKindAndTimesteps(kind, timesteps);
    return new NoiseSchedule(kind, timesteps, IntStream.range(0, timesteps).toArray(), kind.betas(timesteps));
  }

  /**
   * The schedule with these betas at these network timesteps, every other array derived from the betas as
   * {@link #of} does: a schedule received from elsewhere gives the same doubles as the one that was sent.
   * Indices must be strictly increasing in [0, T−1] (field "timestep_indices") and betas in (0, 1)
   * (field "betas"), one per index.
   */
  public static NoiseSchedule fromBetas(ScheduleKind kind, int timesteps, int[] timestepIndices, double[] betas) {
    checkKindAndTimesteps(kind, timesteps);
    if (timestepIndices.length < 1 || timestepIndices.length > timesteps) {
      throw new IllegalArgumentException(
          "timestep_indices must have 1 to " + timesteps + " entries, got " + timestepIndices.length);
    }
    if (betas.length != timestepIndices.length) {
      throw new IllegalArgumentException(
          "betas has " + betas.length + " entries, timestep_indices " + timestepIndices.length);
    }
    for (int k = 0; k < timestepIndices.length; k++) {
      int low = k == 0 ? 0 : timestepIndices[k - 1] + 1;
      if (timestepIndices[k] < low || timestepIndices[k] >= timesteps) {
        throw new IllegalArgumentException("timestep_indices must increase strictly within [0, "
            + (timesteps - 1) + "], got " + timestepIndices[k] + " at position " + k);
      }
      if (!(betas[k] > 0 && betas[k] < 1)) {
        throw new IllegalArgumentException("betas must be in (0, 1), got " + betas[k] + " at position " + k);
      }
    }
    return new NoiseSchedule(kind, timesteps, timestepIndices.clone(), betas.clone());
  }

  private static void checkKindAndTimesteps(ScheduleKind kind, int timesteps) {
    if (kind == null) {
      throw new IllegalArgumentException("kind must be given");
    }
    if (timesteps < 1 || timesteps > MAX_TIMESTEPS) {
      throw new IllegalArgumentException(
          "timesteps must be in [1, " + MAX_TIMESTEPS + "], got " + timesteps);
    }
  }

  /**
   * This schedule respaced to {@code steps} positions (docs/math.md §6): evenly spaced kept indices that include 0
   * and T−1 (only T−1 when K = 1). K must be in [1, T] (field "respace_steps"); K = T returns this
   * schedule. Respacing a respaced schedule starts again from the full one, so it depends only on (kind, T, K).
   */
  public NoiseSchedule respace(int steps) {
    return respace(steps, Spacing.EVEN);
  }

  /**
   * This schedule respaced to {@code steps} positions at the timesteps {@code spacing} keeps (docs/math.md §12),
   * each position's beta made from the full schedule's abar as {@link #respace(int)} does. K must be in [1, T]
   * (field "respace_steps"); K = T is the full schedule whatever the spacing. It depends only on (kind, T, K,
   * spacing).
   */
  public NoiseSchedule respace(int steps, Spacing spacing) {
    if (steps < 1 || steps > timesteps) {
      throw new IllegalArgumentException(
          "respace_steps must be in [1, " + timesteps + "] (timesteps), got " + steps);
    }
    NoiseSchedule full = steps() == timesteps ? this : of(kind, timesteps);
    if (steps == timesteps) {
      return full;
    }
    int[] kept = spacing.keptIndices(full.alphasCumprod, steps);
    if (Arrays.equals(kept, timestepIndices)) {
      return this;
    }
    return new NoiseSchedule(kind, timesteps, kept, Respacing.betas(full.alphasCumprod, kept));
  }

  /**
   * log(posterior variance) with index 1's value at index 0, where the variance is 0 (improved-diffusion).
   * A one-step schedule has no index 1; there beta[0] stands in, the variance that fixed-large sampling uses.
   */
  private static double[] logVarianceClipped(double[] posteriorVariance, double[] betas) {
    double[] out = new double[posteriorVariance.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = Math.log(posteriorVariance[k]);
    }
    out[0] = Math.log(out.length > 1 ? posteriorVariance[1] : betas[0]);
    return out;
  }

  public ScheduleKind kind() {
    return kind;
  }

  /** T, the length of the full schedule the network is trained on. */
  public int timesteps() {
    return timesteps;
  }

  /** K, the length of every array. */
  public int steps() {
    return betas.length;
  }

  public int[] timestepIndices() {
    return timestepIndices.clone();
  }

  public double[] betas() {
    return betas.clone();
  }

  public double[] alphas() {
    return alphas.clone();
  }

  public double[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  public double[] alphasCumprodPrev() {
    return alphasCumprodPrev.clone();
  }

  public double[] sqrtAlphasCumprod() {
    return sqrtAlphasCumprod.clone();
  }

  /** sqrt(abar_prev): 1 after the last position, where every sampler lands on x_0. */
  public double[] sqrtAlphasCumprodPrev() {
    return sqrtAlphasCumprodPrev.clone();
  }

  public double[] sqrtOneMinusAlphasCumprod() {
    return sqrtOneMinusAlphasCumprod.clone();
  }

  public double[] posteriorVariance() {
    return posteriorVariance.clone();
  }

  public double[] posteriorLogVarianceClipped() {
    return posteriorLogVarianceClipped.clone();
  }

  public double[] posteriorMeanCoefX0() {
    return posteriorMeanCoefX0.clone();
  }

  public double[] posteriorMeanCoefXt() {
    return posteriorMeanCoefXt.clone();
  }

  @Override
  public String toString() {
    return "NoiseSchedule[" + kind.wireName() + ", T=" + timesteps + ", K=" + steps() + "]";
  }
}
