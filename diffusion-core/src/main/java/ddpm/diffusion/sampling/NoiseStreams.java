package ddpm.diffusion.sampling;

import ddpm.diffusion.StreamSeed;
import java.util.SplittableRandom;

/**
 * Standard normal noise for a batch, one independent stream per image. A seed names an endless sequence of
 * images; a request takes {@code numImages} of them from position {@code imageOffset} on, so image i of the
 * batch draws only from the stream of (seed, imageOffset + i). Its x_T and every z then depend neither on how
 * many images share the batch nor on how a run is cut into requests: 4 images of seed s equal the first 4 of
 * 16, and 16 images at offset 0 equal 8 at offset 0 followed by 8 at offset 8.
 */
public final class NoiseStreams {
  private final SplittableRandom[] streams;
  private final int valuesPerImage;

  /**
   * @param imageOffset the position in the seed's sequence of the batch's first image (field "image_offset"):
   *     0 ≤ imageOffset ≤ Long.MAX_VALUE − numImages, so that every image has a position
   */
  public NoiseStreams(long seed, long imageOffset, int numImages, int valuesPerImage) {
    this(seed, imageOffset, numImages, valuesPerImage, false);
  }

  /**
   * Every image of the batch draws from the stream of image {@code imageOffset}, so all of them see the same x_T
   * and z: the images of an interpolation (docs/math.md §14) differ only where their starts differ.
   */
  public static NoiseStreams shared(long seed, long imageOffset, int numImages, int valuesPerImage) {
    return new NoiseStreams(seed, imageOffset, numImages, valuesPerImage, true);
  }

  private NoiseStreams(long seed, long imageOffset, int numImages, int valuesPerImage, boolean shared) {
    if (numImages < 1 || valuesPerImage < 1) {
      throw new IllegalArgumentException(
          "need at least one image and one value, got " + numImages + " × " + valuesPerImage);
    }
    checkImageOffset(imageOffset, numImages);
    this.valuesPerImage = valuesPerImage;
    streams = new SplittableRandom[numImages];
    for (int i = 0; i < numImages; i++) {
      // Image n of the sequence is stream n + 1: the streams images had before offsets existed.
      streams[i] = new SplittableRandom(StreamSeed.of(seed, imageOffset + (shared ? 0 : i) + 1));
    }
  }

  /** Refuses an offset that is negative or leaves an image of the batch without a position, naming the field. */
  public static void checkImageOffset(long imageOffset, int numImages) {
    long highest = Long.MAX_VALUE - numImages;
    if (imageOffset < 0 || imageOffset > highest) {
      throw new IllegalArgumentException("image_offset must be in [0, " + highest + "] for " + numImages
          + " images, got " + imageOffset);
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
}
