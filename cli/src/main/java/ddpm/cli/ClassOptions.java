package ddpm.cli;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import picocli.CommandLine.Option;

/**
 * The classes {@code ddpm sample} asks a class-conditional model for, in one of three forms that exclude each
 * other (an exclusive picocli group, which names the flags when two are given).
 */
final class ClassOptions {
  @Option(names = "--class", paramLabel = "K", description = "Every image of class K.")
  Integer single;

  @Option(names = "--classes", split = ",", paramLabel = "K",
      description = "Image i of class K_i: one class for every image, or one per image. Without --n, N is the "
          + "number of classes given (one class: --n's default); with --n, give 1 or N classes.")
  List<Integer> perImage;

  @Option(names = "--per-class", paramLabel = "K",
      description = "K images of every class in class order (K of class 0, then K of class 1, ...), so "
          + "N = K·C over the model's C classes (or --num-classes C). Leave --n out, or give N = K·C.")
  Integer perClass;

  /**
   * The class of each image, their count the number of images to draw. {@code n}: --n's value;
   * {@code nGiven}: whether the command line set it; {@code classes}: C for --per-class, asked only then.
   */
  int[] labels(int n, boolean nGiven, IntSupplier classes) {
    if (single != null) {
      return filled(n, single);
    }
    if (perImage != null) {
      if (perImage.size() == 1) {
        return filled(n, perImage.get(0));
      }
      if (nGiven && perImage.size() != n) {
        throw new IllegalArgumentException("--classes gives " + perImage.size() + " classes for --n " + n
            + ": give one class for every image or exactly " + n);
      }
      return perImage.stream().mapToInt(Integer::intValue).toArray();
    }
    if (perClass < 1) {
      throw new IllegalArgumentException("--per-class must be ≥ 1, got " + perClass);
    }
    int c = classes.getAsInt();
    int count = Math.multiplyExact(perClass, c);
    if (nGiven && n != count) {
      throw new IllegalArgumentException("--per-class " + perClass + " over " + c + " classes draws " + count
          + " images, but --n is " + n + ": leave --n out or give " + count);
    }
    int[] labels = new int[count];
    Arrays.setAll(labels, i -> i / perClass);
    return labels;
  }

  private static int[] filled(int n, int label) {
    int[] labels = new int[n];
    Arrays.fill(labels, label);
    return labels;
  }
}
