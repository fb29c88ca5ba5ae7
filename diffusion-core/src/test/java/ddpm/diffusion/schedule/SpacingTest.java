package ddpm.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The spacings of docs/math.md §12: which timesteps a respaced schedule keeps. */
class SpacingTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 10, 50, 999, 1000})
  void evenSpacingIsTodaysRespacingBitForBit(int steps) {
    NoiseSchedule plain = LINEAR.respace(steps);
    NoiseSchedule even = LINEAR.respace(steps, Spacing.EVEN);
    assertArrayEquals(plain.timestepIndices(), even.timestepIndices());
    assertArrayEquals(plain.betas(), even.betas());
    assertArrayEquals(plain.alphasCumprod(), even.alphasCumprod());
    assertArrayEquals(Respacing.keptIndices(1000, steps), even.timestepIndices());
  }

  /** numpy's np.round(np.arange(T, 0, -T/K)).astype(int) - 1, reversed: ties (937.5, 812.5, 62.5) go to even. */
  @Test
  void trailingKeepsRoundTMinusITimesTOverKMinusOneRoundingHalfToEven() {
    assertArrayEquals(new int[] {61, 124, 187, 249, 311, 374, 437, 499, 561, 624, 687, 749, 811, 874, 937, 999},
        LINEAR.respace(16, Spacing.of(SpacingKind.TRAILING)).timestepIndices());
    assertArrayEquals(new int[] {99, 199, 299, 399, 499, 599, 699, 799, 899, 999},
        LINEAR.respace(10, Spacing.of(SpacingKind.TRAILING)).timestepIndices());
    assertArrayEquals(new int[] {1, 4, 7, 9}, Respacing.trailingIndices(10, 4));
    assertArrayEquals(new int[] {99}, Respacing.trailingIndices(100, 1));
  }

  /** Karras et al.'s σ_i computed here independently, each matched to the timestep of nearest log σ by brute force. */
  @ParameterizedTest
  @CsvSource({"LINEAR, 10, 7", "LINEAR, 20, 7", "LINEAR, 25, 3", "COSINE, 4, 7"})
  void karrasKeepsTheTimestepOfNearestLogSigmaToEachKarrasSigma(ScheduleKind kind, int steps, double rho) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    double[] abar = full.alphasCumprod();
    double sigmaMin = Math.sqrt((1 - abar[0]) / abar[0]);
    double sigmaMax = Math.sqrt((1 - abar[999]) / abar[999]);
    int[] expected = new int[steps];
    for (int i = 0; i < steps; i++) {
      double root = Math.pow(sigmaMax, 1 / rho)
          + (double) i / (steps - 1) * (Math.pow(sigmaMin, 1 / rho) - Math.pow(sigmaMax, 1 / rho));
      double logSigma = rho * Math.log(root);
      int best = 0;
      for (int t = 1; t < 1000; t++) {
        if (Math.abs(Math.log(Math.sqrt((1 - abar[t]) / abar[t])) - logSigma)
            < Math.abs(Math.log(Math.sqrt((1 - abar[best]) / abar[best])) - logSigma)) {
          best = t;
        }
      }
      expected[steps - 1 - i] = best;
    }
    int[] kept = full.respace(steps, new Spacing(SpacingKind.KARRAS, rho)).timestepIndices();
    assertArrayEquals(expected, kept, "no collisions at these sizes, so every σ_i keeps its nearest timestep");
  }

  @ParameterizedTest
  @EnumSource(SpacingKind.class)
  void everySpacingKeepsStrictlyIncreasingTimestepsInRangeWithTheLastOne(SpacingKind kind) {
    for (ScheduleKind schedule : ScheduleKind.values()) {
      NoiseSchedule full = NoiseSchedule.of(schedule, 1000);
      for (int steps : new int[] {1, 2, 3, 20, 250, 500, 900, 999}) {
        int[] kept = full.respace(steps, Spacing.of(kind)).timestepIndices();
        String at = kind + " " + schedule + " K=" + steps;
        assertEquals(steps, kept.length, at);
        assertEquals(999, kept[steps - 1], at);
        assertTrue(kept[0] >= 0, at);
        for (int k = 1; k < steps; k++) {
          assertTrue(kept[k] > kept[k - 1], at + " at " + k);
        }
        if (kind == SpacingKind.KARRAS && steps > 1) {
          assertEquals(0, kept[0], at + ": Karras keeps σ_min's timestep");
        }
      }
    }
  }

  @Test
  void karrasCollisionsAtTheLowEndMoveDownOneTimestepEach() {
    // 500 of 1,000 timesteps with ρ = 7 put many σ_i below σ(1): they take 0, 1, 2, ... in order.
    int[] kept = LINEAR.respace(500, Spacing.of(SpacingKind.KARRAS)).timestepIndices();
    assertEquals(0, kept[0]);
    assertEquals(1, kept[1]);
    assertEquals(2, kept[2]);
  }

  @Test
  void karrasCollisionsAtTheHighEndMoveDownOneTimestepEach() {
    // The cosine σ leaps near T−1 (σ(999) ≈ 2·10⁴, σ(950) ≈ 13): with ρ = 1 the σ_i above σ(998) crowd there.
    int[] kept = NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(50, new Spacing(SpacingKind.KARRAS, 1))
        .timestepIndices();
    assertEquals(0, kept[0]);
    for (int k = 1; k < 50; k++) {
      assertEquals(950 + k, kept[k], "position " + k);
    }
  }

  @ParameterizedTest
  @EnumSource(SpacingKind.class)
  void everySpacingOfAllTimestepsIsTheFullSchedule(SpacingKind kind) {
    assertSame(LINEAR, LINEAR.respace(1000, Spacing.of(kind)));
  }

  @Test
  void aRespacedScheduleGetsItsBetasFromTheFullAbar() {
    NoiseSchedule trailing = LINEAR.respace(10, Spacing.of(SpacingKind.TRAILING));
    double[] abar = LINEAR.alphasCumprod();
    int[] kept = trailing.timestepIndices();
    for (int k = 0; k < kept.length; k++) {
      assertEquals(abar[kept[k]], trailing.alphasCumprod()[k], 1e-15, "position " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void aBadRhoIsRefusedNamingTheFieldWhateverTheSpacing(double rho) {
    for (SpacingKind kind : SpacingKind.values()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Spacing(kind, rho));
      assertTrue(e.getMessage().startsWith("karras_rho"), e.getMessage());
    }
  }

  @Test
  void rhoMattersOnlyToKarras() {
    assertEquals(Spacing.of(SpacingKind.TRAILING), new Spacing(SpacingKind.TRAILING, 3));
    assertTrue(!Spacing.of(SpacingKind.KARRAS).equals(new Spacing(SpacingKind.KARRAS, 3)));
  }

  @Test
  void anUnknownSpacingIsRefusedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SpacingKind.parse("uniform", "spacing"));
    assertEquals("spacing must be one of \"even\", \"trailing\", \"karras\", got \"uniform\"", e.getMessage());
    assertEquals(SpacingKind.KARRAS, SpacingKind.parse("KARRAS", "spacing"));
  }
}
