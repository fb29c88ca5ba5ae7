package ddpm.diffusion.sampling;

/**
 * What {@link SamplingLoop} lends a step that calls ε_θ more than once per position: more model calls for the
 * whole batch, each checked for cancellation and counted by the loop, and more noise from the images' own
 * streams (see {@link NoiseStreams}), drawn after the step's z.
 */
public interface ModelCalls {
  /** For a step run outside a loop: it refuses every call, so a rule that needs them fails loudly. */
  ModelCalls NONE = new ModelCalls() {
    @Override
    public float[] eps(float[] x, int k) {
      throw refused();
    }

    @Override
    public double[] noise() {
      throw refused();
    }

    @Override
    public int valuesPerImage() {
      throw refused();
    }

    private IllegalStateException refused() {
      return new IllegalStateException("this step calls ε_θ more than once per position: run it in a SamplingLoop");
    }
  };

  /** ε_θ(x, timestep of position k) for the batch, with the batch's extra inputs. */
  float[] eps(float[] x, int k);

  /** The next standard normal draw for the batch, laid out like x. */
  double[] noise();

  /** H · W · C: x holds one image after another, this many values each. */
  int valuesPerImage();
}
