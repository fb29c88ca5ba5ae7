package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AncestralSamplerTest {
  private static final ImageShape SHAPE = new ImageShape(4, 4, 2);
  private static final StepListener IGNORE = (step, total, timestep) -> { };

  @ParameterizedTest
  @CsvSource({
      "LINEAR, 1000, FIXED_LARGE, false", "LINEAR, 1000, FIXED_SMALL, false",
      "COSINE, 1000, FIXED_LARGE, false", "COSINE, 1000, FIXED_SMALL, true",
      "LINEAR, 50, FIXED_LARGE, false", "COSINE, 10, FIXED_SMALL, true"})
  void aPointMassIsReturnedExactly(ScheduleKind kind, int steps, VarianceKind variance, boolean clip) {
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    float[] x0 = pattern(SHAPE.size());
    AncestralSampler sampler = new AncestralSampler(full.respace(steps), variance, clip);
    float[] samples = sampler.sample(ExactEps.pointMass(full, x0), SHAPE, 3, 11, IGNORE, () -> false);
    for (int i = 0; i < 3; i++) {
      float[] image = Arrays.copyOfRange(samples, i * SHAPE.size(), (i + 1) * SHAPE.size());
      assertArrayEquals(x0, image, 1e-4f, "image " + i);
    }
  }

  /**
   * 400 images of 64 independent pixels, pixel p ~ N(μ_p, s_p²). Standardised residuals (x − μ_p)/s_p pool
   * n = 25,600 draws: their mean has standard error 1/sqrt(n) = 0.0063 and their standard deviation about
   * 1/sqrt(2n) = 0.0044. Each per-pixel mean, over 400 images, has standard error s_p/20. The tolerances
   * are 5 standard errors plus 0.01 for the discretisation of 1,000 steps and the variance choice.
   */
  @ParameterizedTest
  @CsvSource({"LINEAR, FIXED_LARGE", "LINEAR, FIXED_SMALL", "COSINE, FIXED_LARGE", "COSINE, FIXED_SMALL"})
  void gaussianPixelsComeOutWithTheirMeanAndStandardDeviation(ScheduleKind kind, VarianceKind variance) {
    ImageShape shape = new ImageShape(8, 8, 1);
    int images = 400;
    int pixels = shape.size();
    float[] mu = new float[pixels];
    float[] s = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      mu[p] = -0.6f + 1.2f * p / (pixels - 1);
      s[p] = 0.1f + 0.3f * ((p * 7) % pixels) / pixels;
    }
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    float[] x = new AncestralSampler(full, variance, false)
        .sample(ExactEps.gaussian(full, mu, s), shape, images, 5, IGNORE, () -> false);

    double sum = 0;
    double sumSquares = 0;
    for (int p = 0; p < pixels; p++) {
      double pixelSum = 0;
      for (int i = 0; i < images; i++) {
        double r = (x[i * pixels + p] - mu[p]) / s[p];
        sum += r;
        sumSquares += r * r;
        pixelSum += x[i * pixels + p];
      }
      assertEquals(mu[p], pixelSum / images, 5 * s[p] / Math.sqrt(images) + 0.01, "mean of pixel " + p);
    }
    int n = images * pixels;
    double mean = sum / n;
    double std = Math.sqrt(sumSquares / n - mean * mean);
    assertEquals(0, mean, 5 / Math.sqrt(n) + 0.01, "mean standardised residual");
    assertEquals(1, std, 5 / Math.sqrt(2.0 * n) + 0.01, "std of standardised residuals");
  }

  @Test
  void fourImagesOfASeedAreTheFirstFourOfSixteenAndRepeatsAreBitIdentical() {
    NoiseSchedule full = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
    EpsModel model = ExactEps.gaussian(full, pattern(SHAPE.size()), constant(SHAPE.size(), 0.3f));
    AncestralSampler sampler = new AncestralSampler(full.respace(40), VarianceKind.FIXED_LARGE, false);
    float[] four = sampler.sample(model, SHAPE, 4, 99, IGNORE, () -> false);
    float[] sixteen = sampler.sample(model, SHAPE, 16, 99, IGNORE, () -> false);
    float[] again = sampler.sample(model, SHAPE, 4, 99, IGNORE, () -> false);
    float[] otherSeed = sampler.sample(model, SHAPE, 4, 100, IGNORE, () -> false);
    assertArrayEquals(four, Arrays.copyOf(sixteen, four.length));
    assertArrayEquals(four, again);
    assertFalse(Arrays.equals(four, otherSeed));
  }

  @Test
  void theModelIsCalledOncePerStepWithTheOriginalTimestepsAndProgressFollows() {
    NoiseSchedule respaced = NoiseSchedule.of(ScheduleKind.LINEAR, 100).respace(5);
    List<int[]> calls = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    EpsModel recording = (xt, t) -> {
      calls.add(t.clone());
      return new float[xt.length];
    };
    new AncestralSampler(respaced, VarianceKind.FIXED_LARGE, false).sample(recording, SHAPE, 2, 1,
        (step, total, timestep) -> progress.add(step + "/" + total + "@" + timestep), () -> false);
    assertEquals(List.of("1/5@99", "2/5@74", "3/5@50", "4/5@25", "5/5@0"), progress);
    assertEquals(5, calls.size());
    assertArrayEquals(new int[] {99, 99}, calls.get(0));
    assertArrayEquals(new int[] {0, 0}, calls.get(4));
  }

  @Test
  void aCancelledRunStopsBeforeTheNextStep() {
    AtomicInteger calls = new AtomicInteger();
    EpsModel counting = (xt, t) -> {
      calls.incrementAndGet();
      return new float[xt.length];
    };
    AncestralSampler sampler =
        new AncestralSampler(NoiseSchedule.of(ScheduleKind.LINEAR, 100), VarianceKind.FIXED_LARGE, false);
    assertThrows(CancellationException.class,
        () -> sampler.sample(counting, SHAPE, 1, 1, IGNORE, () -> calls.get() == 3));
    assertEquals(3, calls.get());
  }

  @Test
  void anInterruptedThreadStopsSampling() {
    AncestralSampler sampler =
        new AncestralSampler(NoiseSchedule.of(ScheduleKind.LINEAR, 100), VarianceKind.FIXED_LARGE, false);
    Thread.currentThread().interrupt();
    try {
      assertThrows(CancellationException.class,
          () -> sampler.sample((xt, t) -> new float[xt.length], SHAPE, 1, 1, IGNORE, () -> false));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aModelAnsweringTheWrongSizeIsAnError() {
    AncestralSampler sampler =
        new AncestralSampler(NoiseSchedule.of(ScheduleKind.LINEAR, 10), VarianceKind.FIXED_LARGE, false);
    assertThrows(IllegalStateException.class,
        () -> sampler.sample((xt, t) -> new float[1], SHAPE, 1, 1, IGNORE, () -> false));
  }

  private static float[] pattern(int size) {
    float[] out = new float[size];
    for (int j = 0; j < size; j++) {
      out[j] = (float) Math.sin(j * 0.7) * 0.9f;
    }
    return out;
  }

  private static float[] constant(int size, float value) {
    float[] out = new float[size];
    Arrays.fill(out, value);
    return out;
  }
}
