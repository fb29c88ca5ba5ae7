package ddpm.diffusion.editing;

import static ddpm.diffusion.editing.EditingData.IGNORE;
import static ddpm.diffusion.editing.EditingData.SHAPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.sampling.Previews;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.SamplingLoop;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Interpolation (Ho et al. §4.3) through the shared loop, driven by the exact denoiser of Gaussian pixels. */
class InterpolationTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private final EditingData data = new EditingData();

  /** Two images of the data within [−1, 1], where clipping x̂₀ leaves them alone. */
  private float[] pair() {
    float[] a = within(data.draw(1, 21));
    float[] b = within(data.draw(1, 22));
    float[] pair = Arrays.copyOf(a, 2 * a.length);
    System.arraycopy(b, 0, pair, a.length, b.length);
    return pair;
  }

  private static float[] within(float[] image) {
    for (int j = 0; j < image.length; j++) {
      image[j] = Math.max(-0.95f, Math.min(0.95f, image[j]));
    }
    return image;
  }

  private float[] image(float[] batch, int i) {
    return Arrays.copyOfRange(batch, i * SHAPE.size(), (i + 1) * SHAPE.size());
  }

  /**
   * λ = 0 and 1 are image-to-image of each input with image 0's noise, bit for bit. At t₀ = 5 (s = 0.005), where
   * sqrt(1 − abar) = 0.024, they come back within 0.1 of the inputs (4 standard deviations of that noise).
   */
  @ParameterizedTest
  @MethodSource("ddpm.diffusion.editing.EditingData#everySampler")
  void theEndsAreTheTwoImagesAtSmallT(SamplerSettings settings) {
    SamplingLoop loop = settings.over(LINEAR);
    float[] pair = pair();
    float[] strip = loop.sample(data.eps(LINEAR), SHAPE, SampleBatch.of(3, 4),
        Interpolation.between(LINEAR, SHAPE, pair, new double[] {0, 0.5, 1}, 0.005), Previews.NONE, IGNORE,
        () -> false);
    for (int end = 0; end < 2; end++) {
      float[] input = image(pair, end);
      float[] alone = loop.sample(data.eps(LINEAR), SHAPE, SampleBatch.of(1, 4),
          new ImageToImage(LINEAR, SHAPE, 1, input, 0.005), Previews.NONE, IGNORE, () -> false);
      float[] result = image(strip, 2 * end);
      assertArrayEquals(alone, result, "λ = " + end);
      double difference = EditingData.maxAbsDifference(input, result);
      assertTrue(difference < 0.1, "λ = " + end + ": max |difference| " + difference);
    }
  }

  @Test
  void everyImageSharesTheNoiseSoEqualImagesGiveEqualResults() {
    float[] a = data.draw(1, 5);
    float[] pair = Arrays.copyOf(a, 2 * a.length);
    System.arraycopy(a, 0, pair, a.length, a.length);
    float[] strip = SamplerSettings.ddim(1, false).over(LINEAR.respace(20)).sample(data.eps(LINEAR), SHAPE,
        SampleBatch.of(4, 6), Interpolation.between(LINEAR.respace(20), SHAPE, pair, new double[] {0, 0.25, 0.5, 1},
            0.7), Previews.NONE, IGNORE, () -> false);
    for (int i = 1; i < 4; i++) {
      assertArrayEquals(image(strip, 0), image(strip, i), "image " + i);
    }
  }

  @Test
  void refusesAnEmptyOrNonFiniteListOfLambdasNamingTheField() {
    for (double[] lambdas : new double[][] {{}, {0, Double.NaN}, {Double.POSITIVE_INFINITY}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Interpolation.between(LINEAR, SHAPE, pair(), lambdas, 0.5));
      assertTrue(e.getMessage().startsWith("interpolation.lambdas must"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Interpolation.between(LINEAR, SHAPE, new float[SHAPE.size()], new double[] {0}, 0.5));
    assertTrue(e.getMessage().startsWith("interpolation.images must hold 2 images"), e.getMessage());
  }
}
