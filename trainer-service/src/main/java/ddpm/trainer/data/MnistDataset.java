package ddpm.trainer.data;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The 60,000 MNIST training images (28×28, grey), read from the IDX files that scripts/fetch-mnist.sh fetches. */
public final class MnistDataset {
  public static final String NAME = "mnist";
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String FETCH_SCRIPT = "scripts/fetch-mnist.sh";
  private static final int SIDE = 28;

  private MnistDataset() {}

  /** Throws IllegalStateException, naming the path and the fetch script, unless the training images exist. */
  public static void checkPresent(Path dir) {
    Path file = dir.resolve(TRAIN_IMAGES);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("dataset: MNIST is not downloaded: " + file.toAbsolutePath()
          + " is missing; run " + FETCH_SCRIPT + " " + dir);
    }
  }

  public static Dataset load(Path dir) {
    checkPresent(dir);
    Path file = dir.resolve(TRAIN_IMAGES);
    IdxArray idx;
    try {
      idx = IdxReader.read(file, 3);
    } catch (IOException e) {
      throw new UncheckedIOException("dataset: cannot read " + file + " (run " + FETCH_SCRIPT + " " + dir
          + " again): " + e.getMessage(), e);
    }
    if (idx.dims()[1] != SIDE || idx.dims()[2] != SIDE) {
      throw new IllegalStateException(file + ": images are " + idx.dims()[1] + "×" + idx.dims()[2]
          + ", MNIST's are " + SIDE + "×" + SIDE);
    }
    return new Dataset(NAME, new ImageShape(SIDE, SIDE, 1), Pixels.toModel(idx.data()));
  }
}
