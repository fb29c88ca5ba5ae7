package ddpm.evaluation.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Grey images as pixels 0..255 (read them with {@code b & 0xFF}), flat: image i is {@code height·width} bytes. */
public record Images(int count, int height, int width, byte[] pixels) {

  public Images {
    if ((long) count * height * width != pixels.length) {
      throw new IllegalArgumentException(pixels.length + " pixels are not " + count + " images of "
          + height + "×" + width);
    }
  }

  /** The images of {@code parts} one after the other; every part must have the same image size. */
  public static Images concat(List<Images> parts) {
    Images first = parts.get(0);
    int count = 0;
    for (Images part : parts) {
      if (part.height != first.height || part.width != first.width) {
        throw new IllegalArgumentException("images of " + part.height + "×" + part.width + " cannot join images of "
            + first.height + "×" + first.width);
      }
      count = Math.addExact(count, part.count);
    }
    byte[] pixels = new byte[Math.multiplyExact(count, first.imageSize())];
    int offset = 0;
    for (Images part : parts) {
      System.arraycopy(part.pixels, 0, pixels, offset, part.pixels.length);
      offset += part.pixels.length;
    }
    return new Images(count, first.height, first.width, pixels);
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
