package ddpm.evaluation.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Grey images as pixels 0..255 (read them with {@code b & 0xFF}), flat: image i is {@code height·width} bytes. */
public record Images(int count, int height, int width, byte[] pixels) {

  public Images {
    if ((long) count * height * width != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " pixels are not " + count + " images of "
          + height + "×" + width);
    }
  }

  public int imageSize() {
    return height * width;
  }

  /**
   * {@code n} distinct images drawn uniformly, the same ones for the same seed on every JVM
   * (SplittableRandom's sequence is specified, unlike the default generators' internals).
   */
  public Images sample(int n, long seed) {
    checkAtMost(n);
    int[] order = new int[count];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[n * imageSize()];
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(count - i);
      int picked = order[j];
      order[j] = order[i];
      order[i] = picked;
      System.arraycopy(pixels, picked * imageSize(), out, i * imageSize(), imageSize());
    }
    return new Images(n, height, width, out);
  }

  private void checkAtMost(int n) {
    if (n < 0 || n > count) {
      throw new IllegalArgumentException("asked for " + n + " of " + count + " images");
    }
  }
}
