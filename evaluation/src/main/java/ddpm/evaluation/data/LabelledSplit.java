package ddpm.evaluation.data;

import ddpm.trainer.data.IdxReader;
import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One half (images and labels) of a {@link ReferenceDataset}, read from the IDX files its fetch script writes. */
public record LabelledSplit(Images images, int[] labels) {
  public static final int SIDE = 28;
  private static final String GZIP_SUFFIX = ".gz";

  /** The two halves and their file names (the same in MNIST and Fashion-MNIST). */
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

  public LabelledSplit {
    if (labels.length != images.count()) {
      throw new IllegalArgumentException(images.count() + " images with " + labels.length + " labels");
    }
  }

  /** Throws IllegalStateException naming the missing file and the fetch script. */
  public static LabelledSplit load(ReferenceDataset dataset, Path dir, Part part) {
    IdxArray images = read(dataset, dir, part.imagesFile, 3);
    IdxArray labels = read(dataset, dir, part.labelsFile, 1);
    int[] dims = images.dims();
    if (dims[1] != SIDE || dims[2] != SIDE) {
      throw new IllegalStateException(dir.resolve(part.imagesFile) + ": images are " + dims[1] + "×" + dims[2]
          + ", " + dataset.title() + "'s are " + SIDE + "×" + SIDE);
    }
    int[] classes = new int[labels.data().length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = labels.data()[i] & 0xFF;
    }
    return new LabelledSplit(new Images(dims[0], SIDE, SIDE, images.data()), classes);
  }

  /** {@code name} plain or gzipped (IdxReader tells them apart by their first bytes). */
  private static IdxArray read(ReferenceDataset dataset, Path dir, String name, int dimensions) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      file = dir.resolve(name + GZIP_SUFFIX);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(dataset.title() + " is not downloaded: " + dir.resolve(name).toAbsolutePath()
          + " (or " + name + GZIP_SUFFIX + ") is missing; run " + dataset.fetchScript() + " " + dir);
    }
    try {
      return IdxReader.read(file, dimensions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (run " + dataset.fetchScript() + " " + dir
          + " again): " + e.getMessage(), e);
    }
  }
}
