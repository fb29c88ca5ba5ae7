package ddpm.datasets;

import ddpm.datasets.IdxReader.IdxArray;
import ddpm.diffusion.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A known data set stored MNIST's way in {@code <root>/<id>/}, as its fetch script leaves it: for each split an
 * IDX file of images (N × H × W) and one of labels (N), each plain or gzipped (NAME.gz). MNIST and Fashion-MNIST
 * differ only in their row of {@link KnownDataset}.
 */
final class IdxDataset extends KnownSource {
  private static final String GZIP_SUFFIX = ".gz";

  private final Path dir;
  /** {@code dir} as messages name it (see {@link Datasets#shown}). */
  private final String shownDir;

  IdxDataset(KnownDataset set, Path root) {
    super(set);
    this.dir = set.dir(root);
    this.shownDir = Datasets.shown(root) + "/" + set.id();
  }

  /** A split's two files, once both are known to be there. */
  private record SplitFiles(Path images, Path labels) {}

  /** Reads the two headers (and a plain file's length), not the pixels. */
  @Override
  public ImageShape inspect(Split split) {
    SplitFiles files = present(split);
    try {
      checkAgree(files, IdxReader.dims(files.images(), 3), IdxReader.dims(files.labels(), 1)[0]);
    } catch (IOException e) {
      throw unreadable(e);
    }
    return set.shape();
  }

  @Override
  public ImageSet load(Split split) {
    SplitFiles files = present(split);
    IdxArray images;
    IdxArray labels;
    try {
      images = IdxReader.read(files.images(), 3);
      labels = IdxReader.read(files.labels(), 1);
    } catch (IOException e) {
      throw unreadable(e);
    }
    checkAgree(files, images.dims(), labels.dims()[0]);
    int[] classes = new int[labels.data().length];
    for (int i = 0; i < classes.length; i++) {
      classes[i] = labels.data()[i] & 0xFF;
      if (classes[i] >= set.classNames().size()) {
        throw new IllegalStateException("dataset: " + shown(files.labels()) + ": label " + classes[i] + " of image " + i
            + " is not one of " + set.title() + "'s classes 0.." + (set.classNames().size() - 1) + "; " + fetch());
      }
    }
    return new ImageSet(set.id(), set.shape(), images.data(), classes);
  }

  private void checkAgree(SplitFiles files, int[] imageDims, int labelCount) {
    ImageShape shape = set.shape();
    if (imageDims[1] != shape.height() || imageDims[2] != shape.width()) {
      throw new IllegalStateException("dataset: " + shown(files.images()) + ": images are " + imageDims[1] + "×"
          + imageDims[2] + ", " + set.title() + "'s are " + shape.height() + "×" + shape.width());
    }
    if (labelCount != imageDims[0]) {
      throw new IllegalStateException("dataset: " + shown(files.labels()) + " holds " + labelCount + " labels for the "
          + imageDims[0] + " images of " + shown(files.images()) + "; " + fetch());
    }
  }

  /** {@code split}'s images and labels, named as MNIST names them. */
  private SplitFiles present(Split split) {
    checkSplit(split);
    return switch (split) {
      case TRAIN -> new SplitFiles(present("train-images-idx3-ubyte"), present("train-labels-idx1-ubyte"));
      case TEST -> new SplitFiles(present("t10k-images-idx3-ubyte"), present("t10k-labels-idx1-ubyte"));
    };
  }

  /** The plain file when it is there, else the gzipped one; IllegalStateException naming the script if neither is. */
  private Path present(String name) {
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gzipped = dir.resolve(name + GZIP_SUFFIX);
    if (Files.isRegularFile(gzipped)) {
      return gzipped;
    }
    throw new IllegalStateException("dataset: " + set.title() + " is not downloaded: " + shown(plain)
        + " (or " + name + GZIP_SUFFIX + ") is missing; " + fetch());
  }

  /** The reader's and the file system's messages name files by their path on this machine. */
  private IllegalStateException unreadable(IOException e) {
    return new IllegalStateException("dataset: cannot read " + set.title() + " (" + fetch() + " again): "
        + String.valueOf(e.getMessage()).replace(dir.toString(), shownDir), e);
  }

  private String shown(Path file) {
    return shownDir + "/" + file.getFileName();
  }

  private String fetch() {
    return "run " + set.fetchScript().orElseThrow() + " " + shownDir;
  }
}
