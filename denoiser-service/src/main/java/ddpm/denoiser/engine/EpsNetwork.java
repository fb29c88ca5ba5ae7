package ddpm.denoiser.engine;

import ddpm.diffusion.sampling.EpsModel;

/**
 * A loaded ε_θ network: {@link #predict} maps x_t (NHWC, flattened) and one 0-based timestep per image to
 * ε of the same shape. Implementations are safe to call from many threads at once.
 */
public interface EpsNetwork extends EpsModel, AutoCloseable {
  @Override
  void close();
}
