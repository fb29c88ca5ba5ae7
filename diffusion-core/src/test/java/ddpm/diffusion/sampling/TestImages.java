package ddpm.diffusion.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Small fixed images for sampler tests. */
final class TestImages {
  private TestImages() {}

  /** Values in [−0.9, 0.9] that differ from pixel to pixel. */
  static float[] pattern(int size) {
    float[] out = new float[size];
    for (int j = 0; j < size; j++) {
      out[j] = (float) Math.sin(j * 0.7) * 0.9f;
    }
    return out;
  }

  static float[] constant(int size, float value) {
    float[] out = new float[size];
    Arrays.fill(out, value);
    return out;
  }

  /** Image i of a batch of images of {@code size} values. */
  static float[] image(float[] batch, int i, int size) {
    return Arrays.copyOfRange(batch, i * size, (i + 1) * size);
  }

  static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int j = 0; j < a.length; j++) {
      max = Math.max(max, Math.abs(a[j] - b[j]));
    }
    return max;
  }

  /** n draws of N(0, scale²). */
  static float[] gaussians(SplittableRandom random, int n, double scale) {
    float[] out = new float[n];
    for (int j = 0; j < n; j++) {
      out[j] = (float) (scale * random.nextGaussian());
    }
    return out;
  }
}
