package ddpm.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.GaussianClasses;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.SamplingLoop;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Class labels and classifier-free guidance through the sampling loop, against Gaussian classes (docs/math.md §11). */
class GuidedSamplingTest {
  private static final ImageShape SHAPE = new ImageShape(2, 2, 1);
  private static final int PIXELS = SHAPE.size();
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final NoiseSchedule FULL = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  /** The half-distance d of the two near classes (deviation s = 1) of the guidance tests. */
  private static final double NEAR = 0.1;

  /**
   * DDPM over the 1000 steps, and DDIM (η = 0) over 50 with the allowances of SamplingLoopTest's DDIM-50 on the
   * linear schedule: a class's ε* is a Gaussian's, which 50 deterministic steps shrink by up to 8.5 % of s.
   */
  static Stream<Arguments> samplers() {
    return Stream.of(
        Arguments.of(SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false), 1000, 0.0, 0.02),
        Arguments.of(SamplerSettings.ddim(0, false), 50, 0.003, 0.09));
  }

  /**
   * Three well separated classes of unequal priors in one batch, images labelled 0, 1, 2, null, 0, 1, 2, null…:
   * each labelled image comes from its class (mean μ_k, deviation s_k) and each null-labelled one from the whole
   * mixture, within 5 standard errors plus the sampler's allowance. A sampler that lost the labels, or gave an image
   * another's, would mix the classes.
   */
  @ParameterizedTest
  @MethodSource("samplers")
  void eachImageComesFromTheClassItsLabelAsksFor(SamplerSettings settings, int steps, double meanAllowance,
      double stdAllowance) {
    double[] means = {-0.6, 0.1, 0.7};
    double[] stds = {0.2, 0.3, 0.25};
    double[] priors = {0.5, 0.3, 0.2};
    GaussianClasses data = new GaussianClasses(FULL, PIXELS, means, stds, priors);
    int images = 2400;
    int[] labels = new int[images];
    for (int i = 0; i < images; i++) {
      labels[i] = i % 4;
    }
    float[] x = settings.over(FULL.respace(steps)).sample(data, SHAPE, SampleBatch.of(images, 5).withInputs(
        ExtraInputs.of(Map.of(ClassConditioning.LABEL_INPUT, ExtraInput.int32(labels)))), IGNORE, () -> false);
    for (int k = 0; k < 3; k++) {
      assertSampled(pixelsOf(x, labels, k), means[k], stds[k], meanAllowance, stdAllowance, "class " + k);
    }
    double mixtureMean = data.mean();
    double second = 0;
    for (int k = 0; k < 3; k++) {
      second += priors[k] * (stds[k] * stds[k] + means[k] * means[k]);
    }
    double mixtureStd = Math.sqrt(second - mixtureMean * mixtureMean);
    assertSampled(pixelsOf(x, labels, 3), mixtureMean, mixtureStd, meanAllowance, stdAllowance, "null label");
  }

  /**
   * Through {@link ClassConditioning} with w = 0: one label for the batch gives every image that class, and an image
   * is the same whatever the labels of the other images of its batch (the seed's noise does not depend on them).
   */
  @ParameterizedTest
  @MethodSource("samplers")
  void oneLabelForEveryImageAndImagesIndependentOfTheirNeighboursLabels(SamplerSettings settings, int steps,
      double meanAllowance, double stdAllowance) {
    GaussianClasses data = GaussianClasses.equallyLikely(FULL, PIXELS, new double[] {-0.5, 0.5},
        new double[] {0.3, 0.3});
    SamplingLoop loop = settings.over(FULL.respace(steps));
    int images = 600;
    float[] allOnes = sample(loop, data, ClassConditioning.of(new int[] {1}, 0, images, 2, 2), images);
    assertSampled(allOnes, 0.5, 0.3, meanAllowance, stdAllowance, "class 1");
    int[] mixed = new int[images];
    for (int i = 0; i < images; i += 2) {
      mixed[i] = 1;
    }
    float[] alternating = sample(loop, data, ClassConditioning.of(mixed, 0, images, 2, 2), images);
    for (int i = 0; i < images; i += 2) {
      assertArrayEquals(Arrays.copyOfRange(allOnes, i * PIXELS, (i + 1) * PIXELS),
          Arrays.copyOfRange(alternating, i * PIXELS, (i + 1) * PIXELS), "image " + i);
    }
  }

  /**
   * Guidance pushes each class away from the data's mean μ̄. For classes that share a deviation s, if the
   * unconditional marginals were Gaussian too the guided ε would be exactly the ε* of N(μ_k + w·(μ_k − μ̄), s²)
   * (docs/math.md §11); two classes at ±d with d = s/10 make the mixture Gaussian up to terms of order (d/s)², so the
   * guided class mean must move from its unguided value by w·(μ_k − μ̄) within 10 %. The images of both runs share
   * their seeds, so the difference is nearly free of sampling error. Swapped halves or a negated w move the classes
   * towards each other, ignored labels not at all.
   */
  @ParameterizedTest
  @MethodSource("samplers")
  void guidanceMovesEachClassAwayFromTheMeanByWTimesItsOffset(SamplerSettings settings, int steps) {
    GaussianClasses data = nearClasses();
    SamplingLoop loop = settings.over(FULL.respace(steps));
    int images = 1000;
    int[] labels = alternating(images);
    float[] plain = sample(loop, data, ClassConditioning.of(labels, 0, images, 2, 2), images);
    for (double w : new double[] {1, 2}) {
      float[] guided = sample(loop, data, ClassConditioning.of(labels, w, images, 2, 2), images);
      for (int k = 0; k < 2; k++) {
        double offset = (k == 0 ? -NEAR : NEAR) - data.mean();
        double moved = mean(pixelsOf(guided, labels, k)) - mean(pixelsOf(plain, labels, k));
        assertEquals(w * offset, moved, 0.1 * w * Math.abs(offset), "class " + k + " at w = " + w);
      }
    }
  }

  /**
   * Guidance within an interval, on the classes of the test above: for classes that share a deviation, guidance
   * adds to each step's ε a term that does not depend on x_t (up to (d/s)²), and each step is affine in x_t, so
   * guiding the steps at t ≤ 499 and those at t ≥ 500 must move a class by parts that add up to what guiding every
   * step moves it (within 5 %), each at least 5 % of it (the ancestral run forgets most of what the noisy half
   * did). An interval ignored, or applied to the wrong steps or images, breaks the sum or a share; an interval
   * holding every timestep is every step, bit for bit.
   */
  @ParameterizedTest
  @MethodSource("samplers")
  void guidanceWithinComplementaryIntervalsMovesEachClassByPartsOfTheWholeMove(SamplerSettings settings,
      int steps) {
    GaussianClasses data = nearClasses();
    SamplingLoop loop = settings.over(FULL.respace(steps));
    int images = 1000;
    int[] labels = alternating(images);
    double w = 2;
    float[] plain = sample(loop, data, ClassConditioning.of(labels, 0, images, 2, 2), images);
    ClassConditioning guided = ClassConditioning.of(labels, w, images, 2, 2);
    float[] everyStep = sample(loop, data, guided, images);
    assertArrayEquals(everyStep,
        sample(loop, data, guided.guidedWithin(new GuidanceInterval(0, 999), 1000), images));
    float[] low = sample(loop, data, guided.guidedWithin(new GuidanceInterval(0, 499), 1000), images);
    float[] high = sample(loop, data, guided.guidedWithin(new GuidanceInterval(500, 999), 1000), images);
    for (int k = 0; k < 2; k++) {
      double unguided = mean(pixelsOf(plain, labels, k));
      double whole = mean(pixelsOf(everyStep, labels, k)) - unguided;
      double byLow = mean(pixelsOf(low, labels, k)) - unguided;
      double byHigh = mean(pixelsOf(high, labels, k)) - unguided;
      assertEquals(whole, byLow + byHigh, 0.05 * Math.abs(whole), "class " + k);
      assertTrue(byLow / whole > 0.05 && byHigh / whole > 0.05,
          "class " + k + ": t ≤ 499 moved it " + byLow + ", t ≥ 500 " + byHigh + " of " + whole);
    }
  }

  /** Two equally likely classes at ±d, d = {@link #NEAR}, of deviation 1. */
  private static GaussianClasses nearClasses() {
    return GaussianClasses.equallyLikely(FULL, PIXELS, new double[] {-NEAR, NEAR}, new double[] {1, 1});
  }

  /** Labels 0, 1, 0, 1, … */
  private static int[] alternating(int images) {
    int[] labels = new int[images];
    for (int i = 0; i < images; i++) {
      labels[i] = i % 2;
    }
    return labels;
  }

  private static float[] sample(SamplingLoop loop, GaussianClasses data, ClassConditioning classes, int images) {
    return loop.sample(classes.guide(data), SHAPE, SampleBatch.of(images, 17).withInputs(classes.inputs()), IGNORE,
        () -> false);
  }

  /** The pixel values of the images labelled {@code label}. */
  private static float[] pixelsOf(float[] x, int[] labels, int label) {
    float[] out = new float[x.length];
    int n = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == label) {
        System.arraycopy(x, i * PIXELS, out, n, PIXELS);
        n += PIXELS;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /**
   * Mean within 5 standard errors plus {@code meanAllowance}, deviation within 5/sqrt(2n) of itself plus
   * {@code stdAllowance} of it. The pixels of one image are independent, so every value counts.
   */
  private static void assertSampled(float[] values, double mean, double std, double meanAllowance,
      double stdAllowance, String what) {
    int n = values.length;
    double sampleMean = mean(values);
    double squares = 0;
    for (float v : values) {
      squares += (v - sampleMean) * (v - sampleMean);
    }
    assertEquals(mean, sampleMean, 5 * std / Math.sqrt(n) + meanAllowance, "mean of " + what);
    assertEquals(std, Math.sqrt(squares / n), std * (5 / Math.sqrt(2.0 * n) + stdAllowance), "std of " + what);
  }
}
