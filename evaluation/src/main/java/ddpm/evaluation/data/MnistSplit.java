package ddpm.evaluation.data;

import ddpm.trainer.data.IdxReader;
import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One half of MNIST (images and labels), read from the IDX files that scripts/fetch-mnist.sh fetches. */
public record MnistSplit(Images images, int[] labels) {
  public static final String FETCH_SCRIPT = "scripts/fetch-mnist.sh";
  public static final int SIDE = 28;

  /** MNIST's two halves and their file names. */
  public enum Part {
    TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    final String imagesFile;
    final String labelsFile;

    Part(String imagesFile, String labelsFile) {
      this.imagesFile = imagesFile;
      this.labelsFile = labelsFile;
    }
  }

  public MnistSplit {
    if (labels.length != images.count()) {
      throw new IllegalArgumentException(images.count() + " images with " + labels.length + " labels");
    }
  }

  /** Throws IllegalStateException naming the missing file and the fetch script. */
  public static MnistSplit load(Path dir, Part part) {
    IdxArray images = read(dir, part.imagesFile, 3);
    IdxArray labels = read(dir, part.labelsFile, 1);
    int[] dims = images.dims();
    if (dims[1] != SIDE || dims[2] != SIDE) {
      throw new IllegalStateException(dir.resolve(part.imagesFile) + ": images are " + dims[1] + "×" + dims[2]
          + ", MNIST's are " + SIDE + "×" + SIDE);
    }
    int[] classes = new int[labels.data().length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = labels.data()[i] & 0xFF;
    }
    return new MnistSplit(new Images(dims[0], SIDE, SIDE, images.data()), classes);
  }

  private static IdxArray read(Path dir, String name, int dimensions) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("MNIST is not downloaded: " + file.toAbsolutePath() + " is missing; run "
          + FETCH_SCRIPT + " " + dir);
    }
    try {
      return IdxReader.read(file, dimensions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (run " + FETCH_SCRIPT + " " + dir + " again): "
          + e.getMessage(), e);
    }
  }
}
