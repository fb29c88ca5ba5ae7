package ddpm.sampler.core;

import ddpm.diffusion.ImageShape;

/** Told of a request's previews (see {@link ddpm.diffusion.sampling.PreviewListener}) with the model's image shape. */
@FunctionalInterface
public interface SamplePreviews {
  SamplePreviews NONE = (step, totalSteps, timestep, xt, x0Hat, shape) -> { };

  void onPreview(int step, int totalSteps, int timestep, float[] xt, float[] x0Hat, ImageShape shape);
}
