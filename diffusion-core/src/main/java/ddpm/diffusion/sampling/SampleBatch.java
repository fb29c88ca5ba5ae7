package ddpm.diffusion.sampling;

/**
 * What one sampling run draws: {@code numImages} images, image i from the noise stream of
 * (seed, imageOffset + i) (see {@link NoiseStreams}), starting from the seed's x_T or from {@code initialNoise},
 * with {@code inputs} beside x_t and t in every ε_θ call. One value instead of a growing parameter list, so a
 * new way of starting or conditioning a run is one field here and not a new argument at every caller.
 *
 * @param initialNoise x_T for the whole batch, N images row-major NHWC (field "initial_noise"), or null to draw
 *     it from the seed
 * @param inputs the extra inputs of every model call (class labels, for a conditional model), each holding
 *     {@code numImages} images; {@link ExtraInputs#NONE} for an unconditional one
 */
public record SampleBatch(int numImages, long seed, long imageOffset, float[] initialNoise, ExtraInputs inputs) {
  public SampleBatch {
    NoiseStreams.checkImageOffset(imageOffset, numImages);
    if (inputs == null) {
      throw new IllegalArgumentException("inputs must be given (ExtraInputs.NONE for none)");
    }
    inputs.requireImages(numImages);
  }

  /** The first {@code numImages} images of {@code seed}, from the seed's own x_T, without extra inputs. */
  public static SampleBatch of(int numImages, long seed) {
    return new SampleBatch(numImages, seed, 0, null, ExtraInputs.NONE);
  }

  /** The same batch starting at image {@code offset} of the seed's sequence. */
  public SampleBatch atOffset(long offset) {
    return new SampleBatch(numImages, seed, offset, initialNoise, inputs);
  }

  /** The same batch starting from {@code xT} (null: the seed's own). */
  public SampleBatch withInitialNoise(float[] xT) {
    return new SampleBatch(numImages, seed, imageOffset, xT, inputs);
  }

  /** The same batch with {@code extra} beside x_t and t in every model call. */
  public SampleBatch withInputs(ExtraInputs extra) {
    return new SampleBatch(numImages, seed, imageOffset, initialNoise, extra);
  }
}
