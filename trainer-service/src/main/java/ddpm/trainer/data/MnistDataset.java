package ddpm.trainer.data;

import java.nio.file.Path;

/** The 60,000 MNIST training images (28×28, grey), read from the IDX files that scripts/fetch-mnist.sh fetches. */
public final class MnistDataset {
  public static final String NAME = "mnist";
  public static final String TRAIN_IMAGES = IdxImageSet.TRAIN_IMAGES;
  static final String FETCH_SCRIPT = "scripts/fetch-mnist.sh";

  private MnistDataset() {}

  static IdxImageSet in(Path dir) {
    return new IdxImageSet(NAME, "MNIST", FETCH_SCRIPT, dir);
  }

  /** Throws IllegalStateException, naming the path and the fetch script, unless the training images exist. */
  public static void checkPresent(Path dir) {
    in(dir).checkAvailable();
  }

  public static Dataset load(Path dir) {
    return in(dir).load();
  }
}
