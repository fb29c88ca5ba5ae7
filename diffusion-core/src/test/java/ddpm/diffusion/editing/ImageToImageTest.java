package ddpm.diffusion.editing;

import static ddpm.diffusion.editing.EditingData.IGNORE;
import static ddpm.diffusion.editing.EditingData.SHAPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.Pixels;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.Previews;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.SamplingLoop;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SDEdit through the shared loop, driven by the exact denoisers of docs/math.md §7. */
class ImageToImageTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private final EditingData data = new EditingData();

  @ParameterizedTest
  @CsvSource({"1000, 1.0, 999", "1000, 0.5, 499", "1000, 0.0004, -1", "1000, 0.0005, 0", "1000, 0.0016, 1",
      // t_k = 1, 112, 223, 334, 445, 556, …: t₀ = 500 is 55 from 445 and 56 from 556
      "10, 0.5, 4", "10, 0.0005, 0", "10, 0.00049, -1", "10, 1.0, 9"})
  void startsAtThePositionWhosePaperTimeIsNearestStrengthTimesT(int steps, double strength, int expected) {
    assertEquals(expected, StartPosition.nearest(LINEAR.respace(steps), strength, "strength"));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -0.1, 1.0001, Double.NaN, Double.POSITIVE_INFINITY})
  void refusesAStrengthOutsideZeroToOneNamingTheField(double strength) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageToImage(LINEAR, SHAPE, 1, new float[SHAPE.size()], strength));
    assertTrue(e.getMessage().startsWith("image_to_image.strength must be in (0, 1]"), e.getMessage());
  }

  @Test
  void refusesImagesOfAnotherShapeNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageToImage(LINEAR, SHAPE, 3, new float[2 * SHAPE.size()], 0.5));
    assertTrue(e.getMessage().startsWith("image_to_image.init_images must hold 1 or 3 images"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("ddpm.diffusion.editing.EditingData#everySampler")
  void aStrengthBelowTheFirstStepReturnsEveryUint8ImageExactlyWithoutADenoiserCall(SamplerSettings settings) {
    byte[] pixels = new byte[256 * 2];
    for (int j = 0; j < pixels.length; j++) {
      pixels[j] = (byte) j;
    }
    int n = pixels.length / SHAPE.size();
    EpsModel never = (xt, t) -> {
      throw new AssertionError("the denoiser was called");
    };
    // t₀ = s·T = 0.49: nearer t = 0 than the first position's t = 1.
    ImageToImage path = new ImageToImage(LINEAR, SHAPE, n, Pixels.toModel(pixels), 0.00049);
    float[] out = settings.over(LINEAR).sample(never, SHAPE, SampleBatch.of(n, 3), path, Previews.NONE, IGNORE,
        () -> false);
    assertArrayEquals(pixels, Pixels.toPixels(out));
  }

  /**
   * At s = 1 the run starts at position K−1 from x_T + sqrt(abar_T)·x_0 instead of x_T: sqrt(abar_T) = 0.0064 on the
   * linear schedule, and the map from x_T to x_0 of the Gaussian data has gain s_p/sqrt(abar s_p² + 1 − abar) ≤ 1 at
   * every step, so images in [−0.9, 0.9] move by less than 0.006 (0.8 of a pixel level). 0.01 holds it.
   */
  @ParameterizedTest
  @MethodSource("ddpm.diffusion.editing.EditingData#everySampler")
  void strengthOneIsPlainGenerationFromTheSameSeed(SamplerSettings settings) {
    SamplingLoop loop = settings.over(LINEAR.respace(50));
    EpsModel model = data.eps(LINEAR);
    float[] plain = loop.sample(model, SHAPE, SampleBatch.of(8, 5), IGNORE, () -> false);
    float[] image = data.draw(1, 77);
    float[] edited = loop.sample(model, SHAPE, SampleBatch.of(8, 5),
        new ImageToImage(LINEAR.respace(50), SHAPE, 8, image, 1.0), Previews.NONE, IGNORE, () -> false);
    double difference = EditingData.maxAbsDifference(plain, edited);
    assertTrue(difference < 0.01, "max |difference| " + difference);
    assertTrue(difference > 0, "the image must enter the start");
  }

  /**
   * Images drawn from the data and encoded to position k are draws of q(x_k) of the data, so the reverse process
   * from there must give the data's statistics back: a start at the wrong noise level would not. 2,000 images,
   * s = 0.5 on the full schedule (500 ancestral steps) and 0.6 on 50 DDIM steps; the allowances (0.01 on the mean,
   * 3 % of s_p on the std) are the samplers' discretisation error.
   */
  @Test
  void imagesOfTheDataComeBackAsDrawsOfTheData() {
    int n = 2000;
    boolean[] every = new boolean[SHAPE.size()];
    Arrays.fill(every, true);
    float[] images = data.draw(n, 9);
    float[] ancestral = SamplerSettings.ancestral(VarianceKind.FIXED_SMALL, false)
        .over(LINEAR).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(n, 1),
            new ImageToImage(LINEAR, SHAPE, n, images, 0.5), Previews.NONE, IGNORE, () -> false);
    data.assertSampled(ancestral, n, every, 0.01, 0.03);
    NoiseSchedule fifty = LINEAR.respace(50);
    float[] ddim = SamplerSettings.ddim(0, false).over(fifty).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(n, 1),
        new ImageToImage(fifty, SHAPE, n, images, 0.6), Previews.NONE, IGNORE, () -> false);
    data.assertSampled(ddim, n, every, 0.01, 0.03);
  }

  @Test
  void takesOneDenoiserCallPerPositionBelowTheStart() {
    NoiseSchedule ten = LINEAR.respace(10);
    List<Integer> timesteps = new ArrayList<>();
    SamplerSettings.ddim(0, false).over(ten).sample(data.eps(LINEAR), SHAPE, SampleBatch.of(2, 1),
        new ImageToImage(ten, SHAPE, 2, data.draw(1, 2), 0.5), Previews.NONE,
        (step, total, timestep) -> {
          assertEquals(5, total);
          timesteps.add(timestep);
        }, () -> false);
    assertEquals(List.of(444, 333, 222, 111, 0), timesteps);
  }
}
