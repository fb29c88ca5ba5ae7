package ddpm.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseScheduleTest {
  private static final double TIGHT = 1e-12;

  @Test
  void linearAtThousandStepsHasHoEtAlsFigures() {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    double[] betas = s.betas();
    double[] abar = s.alphasCumprod();
    assertEquals(1e-4, betas[0], TIGHT);
    assertEquals(0.02, betas[999], TIGHT);
    assertEquals(0.9999, abar[0], TIGHT);
    assertEquals(4.04e-5, abar[999], 0.01e-5);
    assertEquals(1000, s.timesteps());
    assertEquals(1000, s.steps());
  }

  @Test
  void linearRescalesItsEndPointsByThousandOverT() {
    double[] betas = NoiseSchedule.of(ScheduleKind.LINEAR, 100).betas();
    assertEquals(1e-3, betas[0], TIGHT);
    assertEquals(0.2, betas[99], TIGHT);
    assertEquals((0.2 - 1e-3) / 99, betas[1] - betas[0], TIGHT);
  }

  @Test
  void linearCapsBetaBelowOneForVeryShortSchedules() {
    double[] betas = NoiseSchedule.of(ScheduleKind.LINEAR, 10).betas();
    assertEquals(0.999, betas[9], TIGHT);
    assertEquals(0.01, betas[0], TIGHT);
  }

  @Test
  void cosineFollowsItsFormula() {
    int t = 1000;
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, t);
    double[] betas = s.betas();
    double[] abar = s.alphasCumprod();
    for (int i = 0; i < t; i++) {
      assertEquals(Math.min(1 - cosineF(i + 1, t) / cosineF(i, t), 0.999), betas[i], TIGHT, "beta " + i);
    }
    // Where the 0.999 cap has not bitten yet, the cumulative product telescopes to f(i+1)/f(0).
    for (int i : new int[] {0, 1, 100, 500, 900, 990}) {
      assertEquals(cosineF(i + 1, t) / cosineF(0, t), abar[i], 1e-9, "abar " + i);
    }
    assertEquals(0.999, betas[t - 1], TIGHT);
  }

  private static double cosineF(int u, int t) {
    double c = Math.cos(((double) u / t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }

  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void derivedArraysFollowTheSpecFromTheBetasAlone(ScheduleKind kind) {
    NoiseSchedule s = NoiseSchedule.of(kind, 1000);
    double[] betas = s.betas();
    double[] abar = new double[betas.length];
    double product = 1;
    for (int i = 0; i < betas.length; i++) {
      product *= 1 - betas[i];
      abar[i] = product;
    }
    for (int i : new int[] {0, 1, 2, 17, 500, 998, 999}) {
      double prev = i == 0 ? 1 : abar[i - 1];
      String at = kind + " index " + i;
      assertEquals(1 - betas[i], s.alphas()[i], TIGHT, at);
      assertEquals(abar[i], s.alphasCumprod()[i], TIGHT, at);
      assertEquals(prev, s.alphasCumprodPrev()[i], TIGHT, at);
      assertEquals(Math.sqrt(abar[i]), s.sqrtAlphasCumprod()[i], TIGHT, at);
      assertEquals(Math.sqrt(1 - abar[i]), s.sqrtOneMinusAlphasCumprod()[i], TIGHT, at);
      assertEquals(betas[i] * (1 - prev) / (1 - abar[i]), s.posteriorVariance()[i], TIGHT, at);
      assertEquals(betas[i] * Math.sqrt(prev) / (1 - abar[i]), s.posteriorMeanCoefX0()[i], 1e-9, at);
      assertEquals(Math.sqrt(1 - betas[i]) * (1 - prev) / (1 - abar[i]), s.posteriorMeanCoefXt()[i], 1e-9, at);
    }
  }

  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void posteriorVarianceIsZeroAtTheFirstStepAndItsLogUsesTheSecond(ScheduleKind kind) {
    NoiseSchedule s = NoiseSchedule.of(kind, 1000);
    double[] variance = s.posteriorVariance();
    double[] logClipped = s.posteriorLogVarianceClipped();
    assertEquals(0, variance[0]);
    assertEquals(Math.log(variance[1]), logClipped[0], TIGHT);
    assertEquals(Math.log(variance[1]), logClipped[1], TIGHT);
    assertEquals(Math.log(variance[700]), logClipped[700], TIGHT);
  }

  @Test
  void aOneStepScheduleHasAFiniteClippedLogVariance() {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000).respace(1);
    assertEquals(Math.log(s.betas()[0]), s.posteriorLogVarianceClipped()[0], TIGHT);
  }

  @Test
  void respacingToTheFullLengthReturnsTheOriginal() {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 200);
    assertSame(s, s.respace(200));
    NoiseSchedule shortened = s.respace(20);
    NoiseSchedule backToFull = shortened.respace(200);
    assertArrayEquals(s.betas(), backToFull.betas());
    assertArrayEquals(s.timestepIndices(), backToFull.timestepIndices());
  }

  @Test
  void respacedIndicesAreEvenlySpacedFromZeroToTheLast() {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000).respace(10);
    assertArrayEquals(new int[] {0, 111, 222, 333, 444, 555, 666, 777, 888, 999}, s.timestepIndices());
    assertEquals(1000, s.timesteps());
    assertEquals(10, s.steps());
    assertEquals(ScheduleKind.LINEAR, s.kind());
    assertArrayEquals(new int[] {999}, NoiseSchedule.of(ScheduleKind.LINEAR, 1000).respace(1).timestepIndices());
  }

  @Test
  void everyRespacingOfAShortScheduleKeepsStrictlyIncreasingIndicesWithBothEnds() {
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 37);
    for (int k = 2; k <= 37; k++) {
      int[] kept = full.respace(k).timestepIndices();
      assertEquals(k, kept.length);
      assertEquals(0, kept[0], "K=" + k);
      assertEquals(36, kept[k - 1], "K=" + k);
      for (int j = 1; j < k; j++) {
        assertTrue(kept[j] > kept[j - 1], "K=" + k + " position " + j);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void respacedBetasKeepTheOriginalCumulativeProducts(ScheduleKind kind) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    NoiseSchedule respaced = full.respace(25);
    double[] abar = full.alphasCumprod();
    int[] kept = respaced.timestepIndices();
    double[] betas = respaced.betas();
    double[] respacedAbar = respaced.alphasCumprod();
    for (int k = 0; k < kept.length; k++) {
      double previous = k == 0 ? 1 : abar[kept[k - 1]];
      assertEquals(1 - abar[kept[k]] / previous, betas[k], TIGHT, "beta' " + k);
      assertEquals(abar[kept[k]], respacedAbar[k], 1e-12, "abar' " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 100_001})
  void timestepsOutOfRangeAreRefusedNamingTheField(int timesteps) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of(ScheduleKind.LINEAR, timesteps));
    assertTrue(e.getMessage().contains("timesteps"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -3, 1001})
  void respaceStepsOutOfRangeAreRefusedNamingTheField(int steps) {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.respace(steps));
    assertTrue(e.getMessage().contains("respace_steps"), e.getMessage());
  }

  @Test
  void theLongestScheduleIsAccepted() {
    assertEquals(100_000, NoiseSchedule.of(ScheduleKind.COSINE, 100_000).steps());
  }

  @Test
  void accessorsReturnCopies() {
    NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 10);
    s.betas()[0] = 42;
    s.timestepIndices()[0] = 42;
    assertEquals(0.01, s.betas()[0], TIGHT);
    assertEquals(0, s.timestepIndices()[0]);
  }

  @Test
  void aScheduleRebuiltFromItsBetasIsIdentical() {
    NoiseSchedule original = NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(30);
    NoiseSchedule rebuilt = NoiseSchedule.fromBetas(
        original.kind(), original.timesteps(), original.timestepIndices(), original.betas());
    assertArrayEquals(original.timestepIndices(), rebuilt.timestepIndices());
    assertArrayEquals(original.alphasCumprod(), rebuilt.alphasCumprod());
    assertArrayEquals(original.posteriorMeanCoefXt(), rebuilt.posteriorMeanCoefXt());
    assertArrayEquals(original.posteriorLogVarianceClipped(), rebuilt.posteriorLogVarianceClipped());
    assertEquals(30, rebuilt.steps());
  }

  @Test
  void inconsistentBetasOrIndicesAreRefusedNamingTheField() {
    assertRefused("timestep_indices", 10, new int[] {3, 3}, 0.1, 0.1);
    assertRefused("timestep_indices", 10, new int[] {0, 10}, 0.1, 0.1);
    assertRefused("timestep_indices", 10, new int[0]);
    assertRefused("betas", 10, new int[] {0, 9}, 0.1);
    assertRefused("betas", 10, new int[] {0, 9}, 0.1, 1.0);
    assertRefused("betas", 10, new int[] {0, 9}, Double.NaN, 0.1);
    assertRefused("timesteps", 0, new int[] {0}, 0.1);
  }

  private static void assertRefused(String field, int timesteps, int[] indices, double... betas) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NoiseSchedule.fromBetas(ScheduleKind.LINEAR, timesteps, indices, betas));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
