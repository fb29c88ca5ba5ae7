package ddpm.trainer.data;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn 8×8 digits (1,797 images, UCI, CC BY 4.0) shipped as a resource; see the README beside
 * digits.csv.gz. Each line holds 64 block counts 0..16 and a label, which training ignores.
 */
public final class DigitsDataset {
  public static final String NAME = "digits";
  static final String RESOURCE = "/ddpm/trainer/data/digits.csv.gz";
  private static final int SIDE = 8;
  private static final int MAX_COUNT = 16;

  private DigitsDataset() {}

  public static Dataset load() {
    try (InputStream raw = DigitsDataset.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
      }
      return parse(new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  private static Dataset parse(BufferedReader reader) throws IOException {
    int pixels = SIDE * SIDE;
    byte[] images = new byte[2048 * pixels];
    int count = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.split(",");
      if (fields.length != pixels + 1) {
        throw new IllegalStateException(RESOURCE + " line " + (count + 1) + ": expected " + (pixels + 1)
            + " values, got " + fields.length);
      }
      if ((count + 1) * pixels > images.length) {
        images = Arrays.copyOf(images, images.length * 2);
      }
      for (int i = 0; i < pixels; i++) {
        images[count * pixels + i] = (byte) toPixel(Double.parseDouble(fields[i]));
      }
      count++;
    }
    return new Dataset(NAME, new ImageShape(SIDE, SIDE, 1), Pixels.toModel(Arrays.copyOf(images, count * pixels)));
  }

  /** A block count 0..16 as an 8-bit pixel, so that 16 (every bit set) is white, 255. */
  private static int toPixel(double blockCount) {
    if (blockCount < 0 || blockCount > MAX_COUNT) {
      throw new IllegalStateException(RESOURCE + ": value " + blockCount + " is outside 0.." + MAX_COUNT);
    }
    return (int) Math.round(blockCount * 255.0 / MAX_COUNT);
  }
}
