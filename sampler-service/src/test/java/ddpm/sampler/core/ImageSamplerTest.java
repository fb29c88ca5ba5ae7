package ddpm.sampler.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.sampler.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSamplerTest {
  private static final ImageShape SHAPE = new ImageShape(2, 2, 1);
  private static final ModelSpec MODEL = new ModelSpec("m", 7, SHAPE, 30, ScheduleKind.COSINE);
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final byte[] TARGET = {0, 64, (byte) 128, (byte) 255};

  private final List<String> calls = new ArrayList<>();

  private final Denoiser denoiser = new Denoiser() {
    @Override
    public ModelSpec describe(String model, long version) {
      calls.add("describe " + model + " " + version);
      return MODEL;
    }

    @Override
    public EpsModel epsModel(ModelSpec model) {
      calls.add("eps " + model.name() + " " + model.version());
      return ExactEps.pointMass(NoiseSchedule.of(model.schedule(), model.timesteps()), Pixels.toModel(TARGET));
    }
  };

  private final ScheduleSource schedules = (kind, timesteps) -> {
    calls.add("schedule " + kind.wireName() + " " + timesteps);
    return NoiseSchedule.of(kind, timesteps);
  };

  private final ImageSampler sampler =
      new ImageSampler(denoiser, schedules, new SamplerConfig("127.0.0.1", 0, "d:1", "s:1", 4));

  @Test
  void resolvesTheModelOnceFetchesItsScheduleAndReturnsPixels() {
    Samples samples = sampler.sample(new SampleSpec("m", 0, 2, VarianceKind.FIXED_LARGE, 3), IGNORE, () -> false);
    assertEquals(List.of("describe m 0", "schedule cosine 30", "eps m 7"), calls);
    assertEquals(MODEL, samples.model());
    assertEquals(30, samples.steps());
    assertEquals(2, samples.numImages());
    assertArrayEquals(new byte[] {0, 64, (byte) 128, (byte) 255, 0, 64, (byte) 128, (byte) 255}, samples.pixels());
  }

  @Test
  void badRequestsAreRefusedBeforeTheDenoiserIsAsked() {
    assertRefused(new SampleSpec("", 0, 1, VarianceKind.FIXED_LARGE, 1), "model");
    assertRefused(new SampleSpec("m", 0, 0, VarianceKind.FIXED_LARGE, 1), "num_images");
    assertRefused(new SampleSpec("m", 0, 5, VarianceKind.FIXED_LARGE, 1), "num_images");
    assertRefused(new SampleSpec("m", -1, 1, VarianceKind.FIXED_LARGE, 1), "version");
    assertEquals(List.of(), calls);
  }

  private void assertRefused(SampleSpec spec, String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(spec, IGNORE, () -> false));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
