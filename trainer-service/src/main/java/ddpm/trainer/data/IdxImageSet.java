package ddpm.trainer.data;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 28×28 grey training set stored MNIST's way: {@value #TRAIN_IMAGES} in {@code dir}, plain or gzipped
 * ({@value #TRAIN_IMAGES}.gz), put there by {@code fetchScript}. MNIST and Fashion-MNIST differ only in
 * these fields.
 */
record IdxImageSet(String name, String title, String fetchScript, Path dir) implements DatasetSource {
  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  private static final String GZIP_SUFFIX = ".gz";
  private static final int SIDE = 28;

  /** Throws IllegalStateException, naming the path and the fetch script, unless the training images exist. */
  @Override
  public void checkAvailable() {
    if (!Files.isRegularFile(trainImages())) {
      throw new IllegalStateException("dataset: " + title + " is not downloaded: "
          + dir.resolve(TRAIN_IMAGES).toAbsolutePath() + " (or " + TRAIN_IMAGES + GZIP_SUFFIX
          + ") is missing; run " + fetchScript + " " + dir);
    }
  }

  @Override
  public Dataset load() {
    checkAvailable();
    Path file = trainImages();
    IdxArray idx;
    try {
      idx = IdxReader.read(file, 3);
    } catch (IOException e) {
      throw new IllegalStateException("dataset: cannot read " + title + " (run " + fetchScript + " " + dir
          + " again): " + e.getMessage(), e);
    }
    if (idx.dims()[1] != SIDE || idx.dims()[2] != SIDE) {
      throw new IllegalStateException("dataset: " + file + ": images are " + idx.dims()[1] + "×" + idx.dims()[2]
          + ", " + title + "'s are " + SIDE + "×" + SIDE);
    }
    return new Dataset(name, new ImageShape(SIDE, SIDE, 1), Pixels.toModel(idx.data()));
  }

  /** The plain file when it is there, else the gzipped one (which may be missing as well). */
  private Path trainImages() {
    Path plain = dir.resolve(TRAIN_IMAGES);
    Path gzipped = dir.resolve(TRAIN_IMAGES + GZIP_SUFFIX);
    return Files.isRegularFile(plain) || !Files.isRegularFile(gzipped) ? plain : gzipped;
  }
}
