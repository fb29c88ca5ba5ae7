package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progressive previews of the shared loop (Ho et al. Fig. 6), driven by the exact denoiser of Gaussian pixels. */
class PreviewsTest {
  private static final ImageShape SHAPE = new ImageShape(4, 4, 2);
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);

  private record Preview(int step, int total, int timestep, float[] xt, float[] x0Hat) {}

  private static List<Preview> run(SamplerSettings settings, int steps, int every, float[][] result) {
    GaussianPixels data = new GaussianPixels(SHAPE, 0.1f, 0.5f);
    List<Preview> previews = new ArrayList<>();
    result[0] = settings.over(LINEAR.respace(steps)).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(3, 7),
        SamplingPath.PLAIN, new Previews(every, (step, total, timestep, xt, x0Hat) ->
            previews.add(new Preview(step, total, timestep, xt, x0Hat))), IGNORE, () -> false);
    return previews;
  }

  @Test
  void everyKthStepAndTheLastAreShownAndTheLastPreviewOfDdimIsTheResult() {
    float[][] result = new float[1][];
    List<Preview> previews = run(SamplerSettings.ddim(0, false), 20, 7, result);
    assertEquals(List.of(7, 14, 20), previews.stream().map(Preview::step).toList());
    assertEquals(List.of(20, 20, 20), previews.stream().map(Preview::total).toList());
    Preview last = previews.get(2);
    assertEquals(0, last.timestep());
    assertArrayEquals(result[0], last.x0Hat());
  }

  @Test
  void theFirstPreviewShowsXtAndPreviewsLeaveTheResultAlone() {
    float[][] withPreviews = new float[1][];
    Preview first = run(SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false), 10, 1, withPreviews).get(0);
    float[] xT = new float[first.xt().length];
    double[] draw = new NoiseStreams(7, 0, 3, SHAPE.size()).next();
    for (int j = 0; j < xT.length; j++) {
      xT[j] = (float) draw[j];
    }
    assertArrayEquals(xT, first.xt());
    assertEquals(999, first.timestep());
    float[] without = SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false).over(LINEAR.respace(10)).sample(
        new GaussianPixels(SHAPE, 0.1f, 0.5f).eps(LINEAR), SHAPE, SampleBatch.of(3, 7), IGNORE, () -> false);
    assertArrayEquals(without, withPreviews[0]);
  }

  @Test
  void refusesANegativeIntervalNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Previews(-1, (step, total, timestep, xt, x0Hat) -> { }));
    assertEquals("preview_every must be ≥ 0 (0: no previews), got -1", e.getMessage());
  }
}
