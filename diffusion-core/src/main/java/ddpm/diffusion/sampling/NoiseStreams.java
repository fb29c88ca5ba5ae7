package ddpm.diffusion.sampling;

import java.util.SplittableRandom;

/**
 * Standard normal noise for a batch, one independent stream per image. Image i of a request with seed s
 * draws only from the stream of (s, i), so its x_T and every z do not depend on how many images share the
 * batch: 4 images of seed s equal the first 4 of 16.
 */
public final class NoiseStreams {
  /** The golden-ratio increment of SplitMix64: consecutive images get well-separated seeds. */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private final SplittableRandom[] streams;
  private final int valuesPerImage;

  public NoiseStreams(long seed, int numImages, int valuesPerImage) {
    if (numImages < 1 || valuesPerImage < 1) {
      throw new IllegalArgumentException(
          "need at least one image and one value, got " + numImages + " × " + valuesPerImage);
    }
    this.valuesPerImage = valuesPerImage;
    streams = new SplittableRandom[numImages];
    for (int i = 0; i < numImages; i++) {
      streams[i] = new SplittableRandom(mix64(seed + GOLDEN_GAMMA * (i + 1)));
    }
  }

  /** The next draw for the whole batch: image i's values are [i · D, (i+1) · D), D values per image. */
  public double[] next() {
    double[] z = new double[streams.length * valuesPerImage];
    for (int i = 0; i < streams.length; i++) {
      int offset = i * valuesPerImage;
      for (int j = 0; j < valuesPerImage; j++) {
        z[offset + j] = streams[i].nextGaussian();
      }
    }
    return z;
  }

  /** SplitMix64's finaliser (Stafford variant 13), so that nearby (seed, i) pairs seed unrelated streams. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
