package ddpm.diffusion;

/** The model's data scaling (docs/math.md §3): pixels 0..255 ↔ values in [−1, 1]. */
public final class Pixels {
  private Pixels() {}

  /** x = p / 127.5 − 1. */
  public static float[] toModel(byte[] pixels) {
    float[] x = new float[pixels.length];
    for (int j = 0; j < pixels.length; j++) {
      x[j] = (float) ((pixels[j] & 0xFF) / 127.5 - 1);
    }
    return x;
  }

  /** p = clip(round((x + 1) · 127.5), 0, 255); NaN becomes 0 rather than a silent wrap. */
  public static byte[] toPixels(float[] x) {
    byte[] pixels = new byte[x.length];
    for (int j = 0; j < x.length; j++) {
      long p = Math.round((x[j] + 1.0) * 127.5);
      pixels[j] = (byte) Math.max(0, Math.min(255, p));
    }
    return pixels;
  }
}
