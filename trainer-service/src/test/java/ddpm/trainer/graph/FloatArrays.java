package ddpm.trainer.graph;

import java.util.SplittableRandom;

/** Inputs and comparisons of the graph tests' float arrays. */
final class FloatArrays {
  private FloatArrays() {}

  /** {@code n} standard normal draws from {@code seed}. */
  static float[] gaussians(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  static float maxAbsDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
