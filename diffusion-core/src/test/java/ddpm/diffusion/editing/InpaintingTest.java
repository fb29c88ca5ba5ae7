package ddpm.diffusion.editing;

import static ddpm.diffusion.editing.EditingData.IGNORE;
import static ddpm.diffusion.editing.EditingData.SHAPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.Pixels;
import ddpm.diffusion.sampling.Previews;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** RePaint through the shared loop, driven by the exact denoiser of Gaussian pixels (docs/math.md §7). */
class InpaintingTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private final EditingData data = new EditingData();

  /** The left half of every row kept: pixels at columns 0 and 1 of the 4 × 4 × 2 images. */
  private static float[] leftHalf() {
    float[] mask = new float[SHAPE.size()];
    for (int j = 0; j < mask.length; j++) {
      int column = j / SHAPE.channels() % SHAPE.width();
      mask[j] = column < SHAPE.width() / 2 ? 1 : 0;
    }
    return mask;
  }

  @Test
  void resamplingFollowsRePaintsScheduleOfJumps() {
    // K = 10, J = 3, r = 2: one jump back up from each of 0, 3 and 6.
    assertArrayEquals(new int[] {9, 8, 7, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0,
        -1}, Resampling.positions(10, 3, 2));
    assertArrayEquals(new int[] {2, 1, 0, -1}, Resampling.positions(3, 0, 1));
    assertArrayEquals(new int[] {2, 1, 0, -1}, Resampling.positions(3, 5, 0));
  }

  @ParameterizedTest
  @CsvSource({"10, 0, 2, inpainting.jump_length", "10, 10, 2, inpainting.jump_length",
      "10, -1, 0, inpainting.jump_length", "10, 3, -1, inpainting.jump_n_sample", "10, 3, 101, inpainting.jump_n_sample"})
  void refusesJumpsOutOfRangeNamingTheField(int steps, int jumpLength, int jumpNSample, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resampling.positions(steps, jumpLength, jumpNSample));
    assertTrue(e.getMessage().startsWith(field + " must be"), e.getMessage());
  }

  @Test
  void refusesAMaskThatIsNotZeroOrOneNamingTheField() {
    float[] mask = leftHalf();
    mask[3] = 0.5f;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Inpainting(LINEAR, SHAPE, 1, new float[SHAPE.size()], mask, 0, 0));
    assertTrue(e.getMessage().startsWith("inpainting.mask must be 0 or 1"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("ddpm.diffusion.editing.EditingData#everySampler")
  void everyKeptPixelComesBackExactlyWithAndWithoutResampling(SamplerSettings settings) {
    NoiseSchedule twenty = LINEAR.respace(20);
    float[] mask = leftHalf();
    byte[] pixels = Pixels.toPixels(data.draw(3, 4));
    for (int jumpNSample : new int[] {1, 3}) {
      float[] out = settings.over(twenty).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(3, 8),
          new Inpainting(twenty, SHAPE, 3, Pixels.toModel(pixels), mask, 4, jumpNSample), Previews.NONE, IGNORE,
          () -> false);
      byte[] result = Pixels.toPixels(out);
      for (int j = 0; j < result.length; j++) {
        if (mask[j % SHAPE.size()] == 1) {
          assertEquals(pixels[j], result[j], "kept value " + j + " with r = " + jumpNSample);
        }
      }
    }
  }

  @Test
  void countsEveryReverseStepOfTheJumpsAsAStep() {
    NoiseSchedule ten = LINEAR.respace(10);
    AtomicInteger steps = new AtomicInteger();
    SamplerSettings.ddim(0, false).over(ten).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(1, 1),
        new Inpainting(ten, SHAPE, 1, data.draw(1, 1), leftHalf(), 3, 2), Previews.NONE,
        (step, total, timestep) -> {
          assertEquals(19, total);
          assertEquals(steps.incrementAndGet(), step);
        }, () -> false);
    assertEquals(19, steps.get());
  }

  /**
   * Independent pixels carry no information about each other, so the drawn pixels must follow the data whatever the
   * kept ones hold (here values far from the data's). 2,000 images; the allowances (0.01 on the mean, 3 % of s_p on
   * the std) are the sampler's discretisation error at 1,000 and at 100 ancestral steps, the latter with resampling
   * (J = 10, r = 3). (At 100 steps the posterior variance, FIXED_SMALL or DDIM η = 1, is 7 % short of s_p with or
   * without resampling: a property of the sampler, not of the inpainting.)
   */
  @Test
  void theDrawnPixelsFollowTheData() {
    int n = 2000;
    float[] mask = leftHalf();
    boolean[] drawn = new boolean[mask.length];
    for (int p = 0; p < mask.length; p++) {
      drawn[p] = mask[p] == 0;
    }
    float[] far = new float[SHAPE.size()];
    Arrays.fill(far, 0.95f);
    float[] ancestral = SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false).over(LINEAR).sample(
        data.eps(LINEAR), SHAPE, SampleBatch.of(n, 2), new Inpainting(LINEAR, SHAPE, n, far, mask, 0, 0),
        Previews.NONE, IGNORE, () -> false);
    data.assertSampled(ancestral, n, drawn, 0.01, 0.03);
    NoiseSchedule hundred = LINEAR.respace(100);
    float[] resampled = SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false).over(hundred).sample(data.eps(LINEAR), SHAPE,
        SampleBatch.of(n, 2), new Inpainting(hundred, SHAPE, n, far, mask, 10, 3), Previews.NONE, IGNORE,
        () -> false);
    data.assertSampled(resampled, n, drawn, 0.01, 0.03);
  }
}
