package ddpm.datasets;

import ddpm.diffusion.ImageShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The scikit-learn 8×8 digits (1,797 images, UCI, CC BY 4.0) shipped as a resource of this module; see the
 * README beside digits.csv.gz. Each line holds 64 block counts 0..16 and the digit's label. One split: the
 * file is all there is.
 */
final class DigitsDataset extends KnownSource {
  static final String RESOURCE = "/ddpm/datasets/digits.csv.gz";
  private static final int MAX_COUNT = 16;

  DigitsDataset(KnownDataset set) {
    super(set);
  }

  /** Shipped inside the jar, so there is nothing to look at before loading. */
  @Override
  public ImageShape inspect(Split split) {
    checkSplit(split);
    return set.shape();
  }

  @Override
  public ImageSet load(Split split) {
    checkSplit(split);
    try (InputStream raw = DigitsDataset.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
      }
      return parse(new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  private ImageSet parse(BufferedReader reader) throws IOException {
    int pixels = set.shape().size();
    byte[] images = new byte[2048 * pixels];
    int[] labels = new int[2048];
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
      if (count == labels.length) {
        images = Arrays.copyOf(images, images.length * 2);
        labels = Arrays.copyOf(labels, labels.length * 2);
      }
      for (int i = 0; i < pixels; i++) {
        images[count * pixels + i] = (byte) toPixel(Double.parseDouble(fields[i]));
      }
      labels[count] = toLabel(fields[pixels], count + 1);
      count++;
    }
    return new ImageSet(set.id(), set.shape(), Arrays.copyOf(images, count * pixels), Arrays.copyOf(labels, count));
  }

  /** A block count 0..16 as an 8-bit pixel, so that 16 (every bit set) is white, 255. */
  private static int toPixel(double blockCount) {
    if (blockCount < 0 || blockCount > MAX_COUNT) {
      throw new IllegalStateException(RESOURCE + ": value " + blockCount + " is outside 0.." + MAX_COUNT);
    }
    return (int) Math.round(blockCount * 255.0 / MAX_COUNT);
  }

  private int toLabel(String field, int line) {
    String digits = field.strip();
    int classes = set.classNames().size();
    if (!digits.matches("[0-9]{1,9}") || Integer.parseInt(digits) >= classes) {
      throw new IllegalStateException(RESOURCE + " line " + line + ": label \"" + field + "\" is not 0.."
          + (classes - 1));
    }
    return Integer.parseInt(digits);
  }
}
