package ddpm.sampler.core;

import com.google.inject.Inject;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.guidance.ClassConditioning;
import ddpm.diffusion.sampling.Previews;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplingPath;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.grpc.Channels;
import ddpm.repository.ModelRepository;
import ddpm.sampler.SamplerConfig;
import java.util.function.BooleanSupplier;

/**
 * Runs one request: resolves the model version once, fetches the model's schedule respaced to the requested
 * steps and spacing from the scheduler, and runs the requested sampler against that pinned version, with the requested
 * classes and guidance when the model is class-conditional.
 */
public final class ImageSampler {
  /**
   * A batch travels as one float32 tensor in each denoiser call, so it must fit in one message; half of one
   * leaves room for the rest of the request and for a denoiser configured with a smaller limit.
   */
  static final long MAX_BATCH_VALUES = Channels.MAX_MESSAGE_BYTES / Float.BYTES / 2;

  private final Denoiser denoiser;
  private final ScheduleSource schedules;
  private final int maxImages;

  @Inject
  public ImageSampler(Denoiser denoiser, ScheduleSource schedules, SamplerConfig config) {
    this.denoiser = denoiser;
    this.schedules = schedules;
    this.maxImages = config.maxImages();
  }

  /**
   * Samples {@code spec}, telling {@code listener} after every step; stops with a CancellationException once
   * {@code cancelled} says so. Bad requests fail with IllegalArgumentException naming the field.
   */
  public Samples sample(SampleSpec spec, StepListener listener, BooleanSupplier cancelled) {
    return sample(spec, listener, SamplePreviews.NONE, cancelled);
  }

  /**
   * The same, showing {@code previews} the x_t and x̂₀ (model scale) of the steps that {@code spec}'s preview_every
   * asks for. {@link Samples#steps} counts the denoiser calls the run made.
   */
  public Samples sample(SampleSpec spec, StepListener listener, SamplePreviews previews, BooleanSupplier cancelled) {
    // Checked here too, so that a name no denoiser can hold costs no call.
    ModelRepository.checkName(spec.model(), "model");
    if (spec.numImages() < 1 || spec.numImages() > maxImages) {
      throw new IllegalArgumentException(
          "num_images must be in [1, " + maxImages + "], got " + spec.numImages());
    }
    if (spec.version() < 0) {
      throw new IllegalArgumentException("version must be ≥ 0 (0: the denoiser's default), got " + spec.version());
    }
    if (spec.steps() < 0) {
      throw new IllegalArgumentException("steps must be ≥ 0 (0: every step of the model), got " + spec.steps());
    }
    // Made before the denoiser is asked anything, so that a bad image_offset or w costs no call.
    SampleBatch batch = SampleBatch.of(spec.numImages(), spec.seed()).atOffset(spec.imageOffset());
    ClassConditioning.checkGuidanceScale(spec.guidanceScale());
    Previews.check(spec.previewEvery());
    ModelSpec model = denoiser.describe(spec.model(), spec.version());
    ClassConditioning allSteps = ClassConditioning.of(spec.classLabels(), spec.guidanceScale(), spec.numImages(),
        model.numClasses(), model.nullLabel());
    ClassConditioning classes = spec.guidanceInterval() == null
        ? allSteps : allSteps.guidedWithin(spec.guidanceInterval(), model.timesteps());
    if (spec.steps() > model.timesteps()) {
      throw new IllegalArgumentException("steps must be in [0, " + model.timesteps() + "] for " + model.name()
          + " version " + model.version() + ", got " + spec.steps());
    }
    int callImages = classes.imagesPerCall(spec.numImages());
    long values = (long) callImages * model.imageShape().size();
    if (values > MAX_BATCH_VALUES) {
      throw new IllegalArgumentException("num_images: " + callImages + " images of " + model.imageShape()
          + " (num_images, twice that under guidance) do not fit in one denoiser call; ask for at most "
          + MAX_BATCH_VALUES / model.imageShape().size() / (callImages / spec.numImages()));
    }
    float[] initialNoise = spec.initialNoise() == null
        ? null : spec.initialNoise().valuesFor(spec.numImages(), model.imageShape());
    int steps = spec.steps() == 0 ? model.timesteps() : spec.steps();
    NoiseSchedule schedule =
        schedules.schedule(model.schedule(), model.timesteps(), steps, spec.sampler().spacing());
    SamplingPath path = spec.edit() == null
        ? SamplingPath.PLAIN : spec.edit().path(schedule, model.imageShape(), spec.numImages());
    Previews shown = new Previews(spec.previewEvery(), (step, total, timestep, xt, x0Hat) ->
        previews.onPreview(step, total, timestep, xt, x0Hat, model.imageShape()));
    int[] calls = {0};
    float[] x0 = spec.sampler().over(schedule).sample(classes.guide(denoiser.epsModel(model)), model.imageShape(),
        batch.withInitialNoise(initialNoise).withInputs(classes.inputs()), path, shown,
        (step, total, timestep) -> {
          calls[0] = step;
          listener.onStep(step, total, timestep);
        }, cancelled);
    return new Samples(model, spec.numImages(), Pixels.toPixels(x0), calls[0], classes.labels());
  }
}
