package ddpm.cli;

import ddpm.datasets.Datasets;
import ddpm.datasets.ImageSet;
import ddpm.datasets.Split;
import ddpm.diffusion.Echo;
import ddpm.images.PngImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The images a command line names: a PNG file, or DATASET:SPLIT:INDEX (mnist:test:3 is image 3 of MNIST's test
 * split under the data root), so that figures can start from real test digits; and the half masks of inpainting
 * (left, right, upper, lower: the half drawn anew).
 */
final class ImageSource {
  private static final List<String> HALVES = List.of("left", "right", "upper", "lower");

  private final Datasets datasets;
  private final Map<String, ImageSet> loaded = new HashMap<>();

  ImageSource(Path dataRoot) {
    datasets = new Datasets(dataRoot);
  }

  List<PngImage.Decoded> read(List<String> specs, String option) throws IOException {
    List<PngImage.Decoded> images = new ArrayList<>();
    for (String spec : specs) {
      images.add(read(spec, option));
    }
    PngImage.Decoded first = images.get(0);
    for (PngImage.Decoded image : images) {
      if (image.height() != first.height() || image.width() != first.width()
          || image.channels() != first.channels()) {
        throw new IllegalArgumentException(option + ": the images must share one shape");
      }
    }
    return images;
  }

  private PngImage.Decoded read(String spec, String option) throws IOException {
    String[] parts = spec.split(":");
    if (spec.toLowerCase(Locale.ROOT).endsWith(".png") || parts.length != 3) {
      Path file = Path.of(spec);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(option + ": " + Echo.quoted(spec)
            + " is neither a PNG file nor DATASET:SPLIT:INDEX (such as mnist:test:3)");
      }
      return PngImage.decode(Files.readAllBytes(file), option + " " + spec);
    }
    Split split = switch (parts[1]) {
      case "train" -> Split.TRAIN;
      case "test" -> Split.TEST;
      default -> throw new IllegalArgumentException(option + ": the split of " + Echo.quoted(spec)
          + " must be train or test");
    };
    int index;
    try {
      index = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": the index of " + Echo.quoted(spec) + " must be a number");
    }
    ImageSet set = loaded.computeIfAbsent(parts[0] + ":" + split, key -> datasets.source(parts[0]).load(split));
    if (index < 0 || index >= set.count()) {
      throw new IllegalArgumentException(option + ": " + parts[0] + " " + split + " has images 0.." + (set.count() - 1)
          + ", got " + index);
    }
    int size = set.shape().size();
    byte[] pixels = new byte[size];
    System.arraycopy(set.pixels(), index * size, pixels, 0, size);
    return new PngImage.Decoded(pixels, set.shape().height(), set.shape().width(), set.shape().channels());
  }

  static boolean isHalf(String spec) {
    return HALVES.contains(spec);
  }

  /** A mask of {@code like}'s shape that draws (0) the named half and keeps (255) the other. */
  static PngImage.Decoded half(String which, PngImage.Decoded like) {
    int h = like.height();
    int w = like.width();
    int c = like.channels();
    byte[] mask = new byte[h * w * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean drawn = switch (which) {
          case "left" -> x < w / 2;
          case "right" -> x >= w / 2;
          case "upper" -> y < h / 2;
          default -> y >= h / 2;
        };
        for (int channel = 0; channel < c; channel++) {
          mask[(y * w + x) * c + channel] = (byte) (drawn ? 0 : 255);
        }
      }
    }
    return new PngImage.Decoded(mask, h, w, c);
  }
}
