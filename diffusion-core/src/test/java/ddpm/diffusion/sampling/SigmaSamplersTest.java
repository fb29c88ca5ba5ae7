package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Euler, Heun, Euler ancestral and the predictor–corrector sampler (docs/math.md §12) against the exact denoiser of
 * Gaussian pixels (docs/math.md §7), and each against the sampler it must equal.
 */
class SigmaSamplersTest {
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final GaussianPixels DATA = new GaussianPixels(new ImageShape(8, 8, 1), 0.3f, 0.7f);
  private static final int IMAGES = 1000;

  private static SamplerSettings settings(SamplerKind kind) {
    return new SamplerSettings(kind, VarianceKind.DEFAULT, 0, false);
  }

  /** dx̃/dσ = ε: Euler's step is DDIM's η = 0 update written in x̃ and σ, so the two agree to float rounding. */
  @ParameterizedTest
  @CsvSource({"LINEAR, 50, EVEN", "COSINE, 50, EVEN", "LINEAR, 20, KARRAS", "COSINE, 1000, EVEN"})
  void eulerIsDdimWithEtaZeroToRounding(ScheduleKind kind, int steps, SpacingKind spacing) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    NoiseSchedule schedule = full.respace(steps, Spacing.of(spacing));
    float[] euler = settings(SamplerKind.EULER).over(schedule)
        .sample(DATA.eps(full), DATA.shape, SampleBatch.of(8, 3), IGNORE, () -> false);
    float[] ddim = SamplerSettings.ddim(0, false).over(schedule)
        .sample(DATA.eps(full), DATA.shape, SampleBatch.of(8, 3), IGNORE, () -> false);
    assertArrayEquals(ddim, euler, 2e-5f);
  }

  /** σ_up² is DDIM's σ²/abar_prev at η = 1, so Euler ancestral is DDIM η = 1, drawing the same z, to rounding. */
  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void eulerAncestralIsDdimWithEtaOneToRounding(ScheduleKind kind) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    NoiseSchedule schedule = full.respace(50);
    float[] ancestral = settings(SamplerKind.EULER_ANCESTRAL).over(schedule)
        .sample(DATA.eps(full), DATA.shape, SampleBatch.of(8, 3), IGNORE, () -> false);
    float[] ddim = SamplerSettings.ddim(1, false).over(schedule)
        .sample(DATA.eps(full), DATA.shape, SampleBatch.of(8, 3), IGNORE, () -> false);
    assertArrayEquals(ddim, ancestral, 2e-5f);
  }

  /**
   * Against the exact probability flow ({@link GaussianPixels#flowOf}) on the linear schedule: Heun beats Euler at
   * equal steps, and doubling the steps divides Heun's largest error by about 4 (second order), Euler's by 2.
   */
  @Test
  void heunConvergesAtSecondOrderAndBeatsEulerAtEqualSteps() {
    GaussianPixels data = new GaussianPixels(new ImageShape(8, 8, 1), 0.2f, 1f);
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    float[] xT = TestImages.pattern(16 * data.shape.size());
    for (int j = 0; j < xT.length; j++) {
      xT[j] = 2 * xT[j] - 1;
    }
    float[] exact = data.flowOf(xT, full);
    double euler50 = data.flowError(settings(SamplerKind.EULER), full.respace(50), xT, exact);
    double euler100 = data.flowError(settings(SamplerKind.EULER), full.respace(100), xT, exact);
    double heun50 = data.flowError(settings(SamplerKind.HEUN), full.respace(50), xT, exact);
    double heun100 = data.flowError(settings(SamplerKind.HEUN), full.respace(100), xT, exact);
    assertTrue(heun50 < euler50 / 4 && heun100 < euler100 / 4, "Heun " + heun50 + ", " + heun100 + "; Euler "
        + euler50 + ", " + euler100);
    assertTrue(heun50 / heun100 > 3.2, "Heun error ratio " + heun50 / heun100);
    double eulerRatio = euler50 / euler100;
    assertTrue(eulerRatio > 1.6 && eulerRatio < 2.5, "Euler error ratio " + eulerRatio);
  }

  /**
   * 1,000 images of 64 pixels, s from 0.3 to 0.7, on the linear schedule: allowances as GaussianPixels#assertSampled
   * states them, measured and rounded up (docs/math.md §12). Euler 50: its affine map has |B − μ| ≤ 0.0025 and
   * |A − s| ≤ 0.085 s (DDIM-50's); Heun 25 (49 calls): |A − s| ≤ 0.026 s; Euler ancestral 250: pooled std 0.972
   * (DDIM η = 1's shrinkage, first order in the steps); ancestral (σ² = β) 250 + 1 corrector at r = 0.16: pooled
   * std 1.039 against 1.009 without it, the Langevin steps' widening, which adds up over the positions
   * (docs/math.md §12). Measured with 4,000 images.
   */
  @ParameterizedTest
  @CsvSource({
      "EULER, 50, 0, 0.003, 0.09",
      "HEUN, 25, 0, 0.003, 0.03",
      "EULER_ANCESTRAL, 250, 0, 0.003, 0.04",
      "ANCESTRAL, 250, 1, 0.003, 0.05"})
  void gaussianPixelsGetTheirMeanAndStandardDeviation(SamplerKind kind, int steps, int correctorSteps,
      double meanAllowance, double stdAllowance) {
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    SamplerSettings sampler = settings(kind).withCorrector(new CorrectorSettings(correctorSteps, 0.16));
    float[] x = sampler.over(full.respace(steps))
        .sample(DATA.eps(full), DATA.shape, SampleBatch.of(IMAGES, 21), IGNORE, () -> false);
    DATA.assertSampled(x, IMAGES, meanAllowance, stdAllowance);
  }

  @Test
  void heunMakesTwoCallsPerStepButTheLastAndReportsThem() {
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    SamplingLoop loop = settings(SamplerKind.HEUN).over(full.respace(10));
    List<Integer> timesteps = new ArrayList<>();
    List<int[]> progress = new ArrayList<>();
    EpsModel exact = DATA.eps(full);
    loop.sample((xt, t) -> {
      timesteps.add(t[0]);
      return exact.predict(xt, t);
    }, DATA.shape, SampleBatch.of(2, 1), (step, total, timestep) -> progress.add(new int[] {step, total, timestep}),
        () -> false);
    assertEquals(19, loop.steps());
    assertEquals(List.of(999, 888, 888, 777, 777, 666, 666, 555, 555, 444, 444, 333, 333, 222, 222, 111, 111, 0, 0),
        timesteps, "the second call of each step is at the next position's timestep; none after the last");
    assertEquals(10, progress.size());
    assertArrayEquals(new int[] {2, 19, 999}, progress.get(0));
    assertArrayEquals(new int[] {19, 19, 0}, progress.get(9));
  }

  @Test
  void aCorrectorAddsItsCallsAtEveryPositionButTheEndAndDrawsItsOwnNoise() {
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    SamplerSettings plain = SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false);
    SamplingLoop corrected = plain.withCorrector(new CorrectorSettings(2, 0.16)).over(full.respace(10));
    int[] calls = new int[1];
    EpsModel exact = DATA.eps(full);
    float[] x = corrected.sample((xt, t) -> {
      calls[0]++;
      return exact.predict(xt, t);
    }, DATA.shape, SampleBatch.of(2, 1), IGNORE, () -> false);
    assertEquals(10 + 2 * 9, calls[0]);
    assertEquals(28, corrected.steps());
    float[] uncorrected = plain.over(full.respace(10)).sample(exact, DATA.shape, SampleBatch.of(2, 1), IGNORE,
        () -> false);
    assertFalse(Arrays.equals(uncorrected, x));
    assertArrayEquals(uncorrected, plain.withCorrector(new CorrectorSettings(0, 0.5)).over(full.respace(10))
        .sample(exact, DATA.shape, SampleBatch.of(2, 1), IGNORE, () -> false), "no corrector steps: the predictor");
  }

  /** One step from x ~ N(m, v) with the exact score: δ = 2 r² ‖z‖² σ²/‖ε‖², x + δ s + sqrt(2δ) z, image by image. */
  @Test
  void aLangevinStepFollowsSongEtAlsFormulaWithPerImageNorms() {
    NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, 10);
    LangevinCorrector corrector = new LangevinCorrector(schedule, 0.2);
    float[] x = {0.5f, -1f, 2f, 0f};
    float[] eps = {0.3f, -0.4f, 1f, 0f};
    double[] z = {1, 1, -2, 0.5};
    float[] out = corrector.apply(x, eps, 3, z, 2);
    double sigma = schedule.sqrtOneMinusAlphasCumprod()[3];
    double delta = 2 * 0.04 * 2 * sigma * sigma / 0.25;
    assertEquals(0.5 - delta * 0.3 / sigma + Math.sqrt(2 * delta), out[0], 1e-6);
    assertEquals(-1 + delta * 0.4 / sigma + Math.sqrt(2 * delta), out[1], 1e-6);
    double delta2 = 2 * 0.04 * 4.25 * sigma * sigma / 1;
    assertEquals(2 - delta2 / sigma - 2 * Math.sqrt(2 * delta2), out[2], 1e-5);
  }

  @Test
  void aStepThatNeedsMoreCallsRefusesToRunWithoutALoop() {
    NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, 10);
    HeunStep heun = new HeunStep(schedule, false);
    assertThrows(IllegalStateException.class, () -> heun.apply(new float[] {0.1f}, new float[] {0.2f}, 3, null));
    float[] last = heun.apply(new float[] {0.1f}, new float[] {0.2f}, 0, null);
    assertArrayEquals(new EulerStep(schedule, false).apply(new float[] {0.1f}, new float[] {0.2f}, 0, null), last,
        "the last step, to σ = 0, is Euler's");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, CorrectorSettings.MAX_STEPS + 1})
  void correctorStepsOutsideTheirRangeAreRefusedNamingTheField(int steps) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CorrectorSettings(steps, 0.16));
    assertTrue(e.getMessage().startsWith("corrector_steps"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
  void aBadSignalToNoiseRatioIsRefusedNamingTheFieldEvenWithoutCorrectorSteps(double snr) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CorrectorSettings(0, snr));
    assertTrue(e.getMessage().startsWith("corrector_snr"), e.getMessage());
  }
}
