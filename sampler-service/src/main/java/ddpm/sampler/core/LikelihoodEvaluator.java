package ddpm.sampler.core;

import com.google.inject.Inject;
import ddpm.diffusion.Echo;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.guidance.ClassConditioning;
import ddpm.diffusion.likelihood.ImageLikelihood;
import ddpm.diffusion.likelihood.LikelihoodEvaluation;
import ddpm.diffusion.likelihood.VariationalBound;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.NoiseStreams;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.repository.ModelRepository;
import ddpm.sampler.SamplerConfig;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one likelihood request: resolves the model version once, fetches its full schedule from the scheduler and
 * evaluates the variational bound of the images against that pinned version (docs/math.md §13). Each denoiser
 * call carries as many (image, timestep) pairs as a Sample request may carry images, within one message; a
 * class-conditional model is asked for the unconditional ε (its null label).
 */
public final class LikelihoodEvaluator {
  private final Denoiser denoiser;
  private final ScheduleSource schedules;
  private final int maxImages;

  @Inject
  public LikelihoodEvaluator(Denoiser denoiser, ScheduleSource schedules, SamplerConfig config) {
    this.denoiser = denoiser;
    this.schedules = schedules;
    this.maxImages = config.maxImages();
  }

  /** The model and version that gave every ε, and each image's result in order. */
  public record Result(ModelSpec model, List<ImageLikelihood> images) {}

  /**
   * Evaluates {@code spec}, telling {@code listener} as timesteps complete; stops with a CancellationException
   * once {@code cancelled} says so. Bad requests fail with IllegalArgumentException naming the field.
   */
  public Result evaluate(LikelihoodSpec spec, StepListener listener, BooleanSupplier cancelled) {
    ModelRepository.checkName(spec.model(), "model");
    if (spec.version() < 0) {
      throw new IllegalArgumentException("version must be ≥ 0 (0: the denoiser's default), got " + spec.version());
    }
    long[] shape = spec.shape();
    if (shape.length != 4 || shape[0] < 1 || shape[0] > maxImages) {
      throw new IllegalArgumentException("images: shape must be [N, H, W, C] with 1 ≤ N ≤ " + maxImages + ", got "
          + Echo.shape(shape));
    }
    VariationalBound.checkVariances(spec.variances());
    NoiseStreams.checkImageOffset(spec.imageOffset(), (int) shape[0]);
    ModelSpec model = denoiser.describe(spec.model(), spec.version());
    ImageShape image = model.imageShape();
    int n = (int) shape[0];
    long[] expected = {n, image.height(), image.width(), image.channels()};
    if (!Arrays.equals(shape, expected)) {
      throw new IllegalArgumentException("images: shape must be [N, H, W, C] = " + Echo.shape(expected) + " for "
          + model.name() + " version " + model.version() + ", got " + Echo.shape(shape));
    }
    int imagesPerCall = (int) Math.min(maxImages, Math.max(1, ImageSampler.MAX_BATCH_VALUES / image.size()));
    VariationalBound bound = new VariationalBound(
        schedules.schedule(model.schedule(), model.timesteps(), model.timesteps()), spec.variances());
    EpsModel eps = unconditional(denoiser.epsModel(model), model);
    List<ImageLikelihood> images = new LikelihoodEvaluation(bound, imagesPerCall)
        .evaluate(eps, image, spec.pixels(), spec.seed(), spec.imageOffset(), listener, cancelled);
    return new Result(model, images);
  }

  /** ε_θ without a class: a class-conditional network gets its null label for every image of a call. */
  private static EpsModel unconditional(EpsModel eps, ModelSpec model) {
    if (model.numClasses() == 0) {
      return eps;
    }
    return (xt, t) -> eps.predict(xt, t,
        ClassConditioning.of(new int[0], 0, t.length, model.numClasses(), model.nullLabel()).inputs());
  }
}
