package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trainer's entry point, and through it the loop's calls, progress and cancellation. */
class AncestralSamplerTest {
  private static final ImageShape SHAPE = new ImageShape(4, 4, 2);
  private static final StepListener IGNORE = (step, total, timestep) -> { };

  /**
   * 400 images of 64 independent pixels, s from 0.1 to 0.4: n = 25,600 pooled draws (see
   * {@link GaussianPixels#assertSampled}), allowing 0.01 for the discretisation of 1,000 steps and the variance
   * choice.
   */
  @ParameterizedTest
  @CsvSource({"LINEAR, FIXED_LARGE", "LINEAR, FIXED_SMALL", "COSINE, FIXED_LARGE", "COSINE, FIXED_SMALL"})
  void gaussianPixelsComeOutWithTheirMeanAndStandardDeviation(ScheduleKind kind, VarianceKind variance) {
    GaussianPixels data = new GaussianPixels(new ImageShape(8, 8, 1), 0.1f, 0.4f);
    NoiseSchedule full = NoiseSchedule.of(kind, 1000);
    int images = 400;
    float[] x = new AncestralSampler(full, variance, false)
        .sample(data.eps(full), data.shape, images, 5, IGNORE, () -> false);
    data.assertSampled(x, images, 0.01, 0.01);
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
}
