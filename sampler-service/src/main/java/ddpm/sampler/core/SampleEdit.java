package ddpm.sampler.core;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.editing.ImageToImage;
import ddpm.diffusion.editing.Inpainting;
import ddpm.diffusion.editing.Interpolation;
import ddpm.diffusion.editing.StartPosition;
import ddpm.diffusion.sampling.SamplingPath;
import ddpm.diffusion.schedule.NoiseSchedule;

/**
 * A request that starts from images (docs/math.md §14), in domain terms. What needs no model is checked when it is
 * made, so a bad strength or λ costs no denoiser call; the rest once the model's shape and schedule are known.
 */
public sealed interface SampleEdit {
  /** The path of the run over {@code schedule}, for {@code numImages} images of {@code shape}. */
  SamplingPath path(NoiseSchedule schedule, ImageShape shape, int numImages);

  /** SDEdit: {@code initImages} (one or one per image) noised to the start of {@code strength}. */
  record FromImage(InputImages initImages, double strength) implements SampleEdit {
    public FromImage {
      StartPosition.checkStrength(strength, "image_to_image.strength");
    }

    @Override
    public SamplingPath path(NoiseSchedule schedule, ImageShape shape, int numImages) {
      return new ImageToImage(schedule, shape, numImages, Pixels.toModel(initImages.pixels(shape)), strength);
    }
  }

  /** RePaint: {@code mask} 1 keeps a value of {@code initImages}; J and r resample. */
  record Inpaint(InputImages initImages, InputImages mask, int jumpLength, int jumpNSample) implements SampleEdit {
    @Override
    public SamplingPath path(NoiseSchedule schedule, ImageShape shape, int numImages) {
      return new Inpainting(schedule, shape, numImages, Pixels.toModel(initImages.pixels(shape)), mask.mask(shape),
          jumpLength, jumpNSample);
    }
  }

  /** Ho et al.'s interpolation between the two {@code images}, one image per λ. */
  record Interpolate(InputImages images, double[] lambdas, double strength) implements SampleEdit {
    public Interpolate {
      StartPosition.checkStrength(strength, "interpolation.strength");
      if (lambdas.length == 0) {
        throw new IllegalArgumentException("interpolation.lambdas must hold at least one λ");
      }
      for (double lambda : lambdas) {
        if (!Double.isFinite(lambda)) {
          throw new IllegalArgumentException("interpolation.lambdas must be finite, got " + lambda);
        }
      }
    }

    @Override
    public SamplingPath path(NoiseSchedule schedule, ImageShape shape, int numImages) {
      if (numImages != lambdas.length) {
        throw new IllegalArgumentException("interpolation.lambdas holds " + lambdas.length + " λ, num_images is "
            + numImages + ": one image per λ");
      }
      return Interpolation.between(schedule, shape, Pixels.toModel(images.pixels(shape)), lambdas, strength);
    }
  }
}
