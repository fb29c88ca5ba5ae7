package ddpm.sampler.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.grpc.Endpoint;
import ddpm.sampler.SamplerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSamplerTest {
  private static final ImageShape SHAPE = new ImageShape(2, 2, 1);
  private static final ModelSpec MODEL = new ModelSpec("m", 7, SHAPE, 30, ScheduleKind.COSINE, 0, 0);
  private static final StepListener IGNORE = (step, total, timestep) -> { };
  private static final byte[] TARGET = {0, 64, (byte) 128, (byte) 255};
  private static final SamplerSettings ANCESTRAL = SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false);

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

  private final ScheduleSource schedules = (kind, timesteps, steps, spacing) -> {
    calls.add("schedule " + kind.wireName() + " " + timesteps + " " + steps);
    return NoiseSchedule.of(kind, timesteps).respace(steps, spacing);
  };

  private final ImageSampler sampler =
      new ImageSampler(denoiser, schedules, SamplerConfig.of(Endpoint.loopback(), "d:1", "s:1").withMaxImages(4));

  @Test
  void resolvesTheModelOnceFetchesItsScheduleAndReturnsPixels() {
    Samples samples = sampler.sample(spec("m", 0, 2, 0, null), IGNORE, () -> false);
    assertEquals(List.of("describe m 0", "schedule cosine 30 30", "eps m 7"), calls);
    assertEquals(MODEL, samples.model());
    assertEquals(30, samples.steps());
    assertEquals(2, samples.numImages());
    assertArrayEquals(new byte[] {0, 64, (byte) 128, (byte) 255, 0, 64, (byte) 128, (byte) 255}, samples.pixels());
  }

  @Test
  void fewerStepsFetchTheRespacedScheduleFromTheScheduler() {
    Samples samples = sampler.sample(
        new SampleSpec("m", 0, 1, SamplerSettings.ddim(0, true), 6, 3, 0, null, new int[0], 0), IGNORE, () -> false);
    assertEquals(List.of("describe m 0", "schedule cosine 30 6", "eps m 7"), calls);
    assertEquals(6, samples.steps());
    assertArrayEquals(TARGET, samples.pixels());
  }

  @Test
  void badRequestsAreRefusedBeforeTheDenoiserIsAsked() {
    assertRefused(spec("", 0, 1, 0, null), "model");
    assertRefused(spec("m", 0, 0, 0, null), "num_images");
    assertRefused(spec("m", 0, 5, 0, null), "num_images");
    assertRefused(spec("m", -1, 1, 0, null), "version");
    assertRefused(spec("m", 0, 1, -1, null), "steps");
    assertRefused(new SampleSpec("m", 0, 1, ANCESTRAL, 0, 1, -1, null, new int[0], 0), "image_offset");
    assertRefused(new SampleSpec("m", 0, 2, ANCESTRAL, 0, 1, Long.MAX_VALUE - 1, null, new int[0], 0), "image_offset");
    assertRefused(new SampleSpec("m", 0, 1, ANCESTRAL, 0, 1, 0, null, new int[0], Double.NaN), "guidance_scale");
    assertEquals(List.of(), calls);
  }

  @Test
  void stepsBeyondTheModelsScheduleAndMisshapenInitialNoiseAreRefusedBeforeAnyStep() {
    assertRefused(spec("m", 0, 1, 31, null), "steps");
    assertRefused(spec("m", 0, 2, 0, new InitialNoise(new long[] {1, 2, 2, 1}, new float[4])), "initial_noise");
    assertRefused(spec("m", 0, 1, 0, new InitialNoise(new long[] {1, 4}, new float[4])), "initial_noise");
    assertEquals(List.of("describe m 0", "describe m 0", "describe m 0"), calls);
  }

  private static SampleSpec spec(String model, long version, int numImages, int steps, InitialNoise noise) {
    return new SampleSpec(model, version, numImages, ANCESTRAL, steps, 1, 0, noise, new int[0], 0);
  }

  private void assertRefused(SampleSpec spec, String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(spec, IGNORE, () -> false));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }
}
