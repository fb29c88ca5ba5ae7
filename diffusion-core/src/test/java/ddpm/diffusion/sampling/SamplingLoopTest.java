package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every sampler through the shared loop, driven by the exact denoisers of docs/math.md §7. */
class SamplingLoopTest {
  private static final ImageShape SHAPE = new ImageShape(4, 4, 2);
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

  static Stream<SamplerSettings> everySampler() {
    return Stream.of(
        SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false),
        SamplerSettings.ancestral(VarianceKind.FIXED_SMALL, true),
        SamplerSettings.ddim(0, false),
        SamplerSettings.ddim(0.5, true),
        SamplerSettings.ddim(1, false),
        SamplerSettings.dpmSolverPp2m(false),
        SamplerSettings.dpmSolverPp2m(true),
        new SamplerSettings(SamplerKind.EULER, VarianceKind.DEFAULT, 0, false),
        new SamplerSettings(SamplerKind.HEUN, VarianceKind.DEFAULT, 0, true),
        new SamplerSettings(SamplerKind.EULER_ANCESTRAL, VarianceKind.DEFAULT, 0, false),
        SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false).withCorrector(new CorrectorSettings(1, 0.16)),
        new SamplerSettings(SamplerKind.HEUN, VarianceKind.DEFAULT, 0, false)
            .withCorrector(new CorrectorSettings(2, 0.1)));
  }

  static Stream<Arguments> everySamplerOnFullAndRespacedSchedules() {
    List<Arguments> cases = new ArrayList<>();
    everySampler().forEach(settings -> {
      cases.add(Arguments.of(settings, ScheduleKind.LINEAR, 1000));
      cases.add(Arguments.of(settings, ScheduleKind.COSINE, 1000));
      cases.add(Arguments.of(settings, ScheduleKind.COSINE, 50));
      cases.add(Arguments.of(settings, ScheduleKind.LINEAR, 10));
    });
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("everySamplerOnFullAndRespacedSchedules")
  void aPointMassIsReturnedExactly(SamplerSettings settings, ScheduleKind kind, int steps) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    float[] x0 = TestImages.pattern(SHAPE.size());
    float[] samples = settings.over(full.respace(steps))
        .sample(ExactEps.pointMass(full, x0), SHAPE, SampleBatch.of(3, 11), IGNORE, () -> false);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(x0, TestImages.image(samples, i, SHAPE.size()), 1e-4f, "image " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("everySampler")
  void fourImagesOfASeedAreTheFirstFourOfSixteenAndRepeatsAreBitIdentical(SamplerSettings settings) {
    EpsModel model = gaussian(LINEAR);
    SamplingLoop loop = settings.over(LINEAR.respace(40));
    float[] four = loop.sample(model, SHAPE, SampleBatch.of(4, 99), IGNORE, () -> false);
    float[] sixteen = loop.sample(model, SHAPE, SampleBatch.of(16, 99), IGNORE, () -> false);
    float[] again = loop.sample(model, SHAPE, SampleBatch.of(4, 99), IGNORE, () -> false);
    float[] otherSeed = loop.sample(model, SHAPE, SampleBatch.of(4, 100), IGNORE, () -> false);
    assertArrayEquals(four, Arrays.copyOf(sixteen, four.length));
    assertArrayEquals(four, again);
    assertFalse(Arrays.equals(four, otherSeed));
  }

  @ParameterizedTest
  @MethodSource("everySampler")
  void aRunCutIntoRequestsByImageOffsetEqualsTheRunInOneRequest(SamplerSettings settings) {
    EpsModel model = gaussian(LINEAR);
    SamplingLoop loop = settings.over(LINEAR.respace(40));
    float[] six = loop.sample(model, SHAPE, SampleBatch.of(6, 99), IGNORE, () -> false);
    float[] firstTwo = loop.sample(model, SHAPE, SampleBatch.of(2, 99), IGNORE, () -> false);
    float[] lastFour = loop.sample(model, SHAPE, SampleBatch.of(4, 99).atOffset(2), IGNORE, () -> false);
    assertArrayEquals(Arrays.copyOf(six, firstTwo.length), firstTwo);
    assertArrayEquals(Arrays.copyOfRange(six, firstTwo.length, six.length), lastFour);
    assertFalse(Arrays.equals(lastFour, loop.sample(model, SHAPE, SampleBatch.of(4, 100), IGNORE, () -> false)),
        "images 2.. of a seed are not the first images of the next seed");
  }

  @ParameterizedTest
  @MethodSource("everySampler")
  void theSeedsOwnInitialNoiseGivesTheSeededRun(SamplerSettings settings) {
    EpsModel model = gaussian(LINEAR);
    SamplingLoop loop = settings.over(LINEAR.respace(25));
    float[] xT = toFloats(new NoiseStreams(5, 0, 3, SHAPE.size()).next());
    assertArrayEquals(loop.sample(model, SHAPE, SampleBatch.of(3, 5), IGNORE, () -> false),
        loop.sample(model, SHAPE, SampleBatch.of(3, 5).withInitialNoise(xT), IGNORE, () -> false));
  }

  @Test
  void givenInitialNoiseADeterministicSamplerIgnoresTheSeedAndAStochasticOneDoesNot() {
    EpsModel model = gaussian(LINEAR);
    float[] xT = TestImages.pattern(2 * SHAPE.size());
    for (SamplerSettings deterministic :
        List.of(SamplerSettings.ddim(0, false), SamplerSettings.dpmSolverPp2m(false))) {
      SamplingLoop loop = deterministic.over(LINEAR.respace(20));
      assertArrayEquals(loop.sample(model, SHAPE, SampleBatch.of(2, 1).withInitialNoise(xT), IGNORE, () -> false),
          loop.sample(model, SHAPE, SampleBatch.of(2, 2).withInitialNoise(xT), IGNORE, () -> false), deterministic.toString());
    }
    SamplingLoop stochastic = SamplerSettings.ddim(1, false).over(LINEAR.respace(20));
    assertFalse(Arrays.equals(stochastic.sample(model, SHAPE, SampleBatch.of(2, 1).withInitialNoise(xT), IGNORE, () -> false),
        stochastic.sample(model, SHAPE, SampleBatch.of(2, 2).withInitialNoise(xT), IGNORE, () -> false)));
  }

  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void ddimWithEtaOneOnTheFullScheduleIsAncestralSamplingWithThePosteriorVariance(ScheduleKind kind) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    EpsModel model = gaussian(full);
    float[] ddim = SamplerSettings.ddim(1, false).over(full)
        .sample(model, SHAPE, SampleBatch.of(4, 8), IGNORE, () -> false);
    float[] ancestral = SamplerSettings.ancestral(VarianceKind.FIXED_SMALL, false).over(full)
        .sample(model, SHAPE, SampleBatch.of(4, 8), IGNORE, () -> false);
    // The two updates agree to float rounding at every step; over 1,000 steps that stays below 1e-4.
    assertArrayEquals(ancestral, ddim, 1e-4f);
  }

  /**
   * 1,000 images of 64 pixels, s from 0.3 to 0.7, through 50 respaced DDIM steps with η = 0. For Gaussian data
   * the 50-step map is affine per pixel, x_0 = A x_T + B; computed in float64 over μ ∈ [−0.6, 0.6] and
   * s ∈ [0.3, 0.7] it has |B − μ| ≤ 0.0026 and |A − s| ≤ 0.085 s on the linear schedule, |B − μ| ≤ 2e-5 and
   * |A − s| ≤ 0.045 s on the cosine one: few deterministic steps shrink the spread. The allowances round
   * those up; sampling error is 5 standard errors as in {@link GaussianPixels#assertSampled}.
   */
  @ParameterizedTest
  @CsvSource({"LINEAR, 0.003, 0.09", "COSINE, 0.001, 0.05"})
  void ddimWithEtaZeroOverFiftyStepsGivesGaussianPixelsTheirMeanAndStandardDeviation(
      ScheduleKind kind, double meanAllowance, double stdAllowance) {
    GaussianPixels data = new GaussianPixels(new ImageShape(8, 8, 1), 0.3f, 0.7f);
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    int images = 1000;
    float[] x = SamplerSettings.ddim(0, false).over(full.respace(50))
        .sample(data.eps(full), data.shape, SampleBatch.of(images, 21), IGNORE, () -> false);
    data.assertSampled(x, images, meanAllowance, stdAllowance);
  }

  /**
   * The deterministic samplers solve the probability-flow ODE, whose exact solution for Gaussian data is
   * known ({@link GaussianPixels#flowOf}). Doubling the steps from 100 to 200 divides DDIM's largest error by
   * about 2 (first order) and DPM-Solver++(2M)'s by about 4 (second order; 3.8 to 5.4 measured over both
   * schedules and s ∈ [0.2, 1]).
   */
  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void deterministicSamplersConvergeToTheProbabilityFlowAtTheirOrder(ScheduleKind kind) {
    GaussianPixels data = new GaussianPixels(new ImageShape(8, 8, 1), 0.2f, 1f);
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    int images = 16;
    float[] xT = toFloats(new NoiseStreams(13, 0, images, data.shape.size()).next());
    float[] exact = data.flowOf(xT, full);
    double ddim100 = data.flowError(SamplerSettings.ddim(0, false), full.respace(100), xT, exact);
    double ddim200 = data.flowError(SamplerSettings.ddim(0, false), full.respace(200), xT, exact);
    double dpm100 = data.flowError(SamplerSettings.dpmSolverPp2m(false), full.respace(100), xT, exact);
    double dpm200 = data.flowError(SamplerSettings.dpmSolverPp2m(false), full.respace(200), xT, exact);
    double ddimRatio = ddim100 / ddim200;
    double dpmRatio = dpm100 / dpm200;
    assertTrue(ddimRatio > 1.6 && ddimRatio < 2.5, "DDIM error ratio " + ddimRatio);
    assertTrue(dpmRatio > 3.2, "DPM-Solver++(2M) error ratio " + dpmRatio);
    assertTrue(dpm200 < 0.01 && dpm200 < ddim200, "DPM-Solver++(2M) error " + dpm200 + ", DDIM " + ddim200);
  }

  @ParameterizedTest
  @MethodSource("everySampler")
  void everyModelCallGetsTheExtraInputsOfTheWholeBatch(SamplerSettings settings) {
    ExtraInputs labels = ExtraInputs.of(Map.of("y", ExtraInput.int32(new int[] {3, 0, 7})));
    EpsModel unconditional = gaussian(LINEAR);
    List<ExtraInputs> seen = new ArrayList<>();
    EpsModel conditional = new EpsModel() {
      @Override
      public float[] predict(float[] xt, int[] t) {
        throw new AssertionError("a conditional model is called with its inputs");
      }

      @Override
      public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
        seen.add(inputs);
        return unconditional.predict(xt, t);
      }
    };
    SamplingLoop loop = settings.over(LINEAR.respace(6));

    float[] x0 = loop.sample(conditional, SHAPE, SampleBatch.of(3, 4).withInputs(labels), IGNORE, () -> false);
    assertEquals(Collections.nCopies(loop.steps(), labels), seen);
    assertArrayEquals(loop.sample(unconditional, SHAPE, SampleBatch.of(3, 4), IGNORE, () -> false), x0,
        "the inputs reach the model and change nothing else");
  }

  @Test
  void aModelWithoutExtraInputsRefusesSome() {
    ExtraInputs labels = ExtraInputs.of(Map.of("y", ExtraInput.int32(new int[] {1})));
    SamplingLoop loop = SamplerSettings.ddim(0, false).over(LINEAR.respace(5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loop.sample(gaussian(LINEAR), SHAPE, SampleBatch.of(1, 1).withInputs(labels), IGNORE, () -> false));
    assertTrue(e.getMessage().contains("[y]"), e.getMessage());
  }

  @Test
  void extraInputsForAnotherNumberOfImagesAreRefusedBeforeAnyModelCall() {
    ExtraInputs twoLabels = ExtraInputs.of(Map.of("y", ExtraInput.int32(new int[] {1, 2})));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleBatch.of(3, 1).withInputs(twoLabels));
    assertTrue(e.getMessage().contains("\"y\" holds 2 images, the batch 3"), e.getMessage());
  }

  @Test
  void initialNoiseOfTheWrongSizeOrNotFiniteIsRefusedNamingTheField() {
    SamplingLoop loop = SamplerSettings.ddim(0, false).over(LINEAR.respace(5));
    EpsModel zero = (xt, t) -> new float[xt.length];
    float[] nan = new float[SHAPE.size()];
    nan[3] = Float.NaN;
    float[] infinite = new float[SHAPE.size()];
    infinite[0] = Float.NEGATIVE_INFINITY;
    for (float[] bad : List.of(new float[SHAPE.size() + 1], nan, infinite)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loop.sample(zero, SHAPE, SampleBatch.of(1, 1).withInitialNoise(bad), IGNORE, () -> false));
      assertTrue(e.getMessage().startsWith("initial_noise"), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.5, 1.5, Double.NaN})
  void etaIsCheckedForEverySampler(double eta) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SamplerSettings(SamplerKind.ANCESTRAL, VarianceKind.FIXED_LARGE, eta, false));
    assertTrue(e.getMessage().startsWith("eta"), e.getMessage());
  }

  @Test
  void aLoopReportsItsNumberOfModelCalls() {
    assertEquals(40, SamplerSettings.dpmSolverPp2m(false).over(LINEAR.respace(40)).steps());
  }

  /** Pixels N(pattern, 0.3²): enough spread that samples of different seeds differ. */
  private static EpsModel gaussian(NoiseSchedule full) {
    return ExactEps.gaussian(full, TestImages.pattern(SHAPE.size()), TestImages.constant(SHAPE.size(), 0.3f));
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int j = 0; j < values.length; j++) {
      out[j] = (float) values[j];
    }
    return out;
  }
}
