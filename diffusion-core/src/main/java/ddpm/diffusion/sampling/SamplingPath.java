package ddpm.diffusion.sampling;

/**
 * Where a run starts, the positions it visits and what happens to x between them, for the runs that are not plain
 * generation (ddpm.diffusion.editing: image-to-image, inpainting, interpolation; docs/math.md §14). Plain
 * generation, {@link #PLAIN}, starts at position K−1 from x_T and steps down to −1 (x_0), one reverse step a
 * position. Every method's default is plain generation's.
 */
public interface SamplingPath {
  SamplingPath PLAIN = new SamplingPath() { };

  /**
   * The positions from the first to −1 (x_0), each in [−1, K−1], consecutive ones one apart: from k down to k−1
   * is one reverse step (one ε_θ call at position k), from k up to k+1 one {@link #up} step.
   */
  default int[] positions(int steps) {
    int[] positions = new int[steps + 1];
    for (int j = 0; j <= steps; j++) {
      positions[j] = steps - 1 - j;
    }
    return positions;
  }

  /**
   * x at the first position, given x_T: each image's first draw, or the batch's own x_T. Position −1 means no
   * reverse step at all: what this returns is the result.
   */
  default float[] start(float[] xT, int position) {
    return xT;
  }

  /** x once a reverse step has reached {@code position} (−1: x_0); {@code noise} is the run's. */
  default float[] afterStep(float[] x, int position, NoiseStreams noise) {
    return x;
  }

  /** x at position + 1, from x at {@code position}. */
  default float[] up(float[] x, int position, NoiseStreams noise) {
    throw new IllegalStateException("this path never steps up");
  }

  /** Whether every image of the batch draws from the stream of image 0 (see {@link NoiseStreams#shared}). */
  default boolean sharesNoise() {
    return false;
  }
}
