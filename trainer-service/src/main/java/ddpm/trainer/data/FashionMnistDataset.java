package ddpm.trainer.data;

import java.nio.file.Path;

/**
 * The 60,000 Fashion-MNIST training images (Zalando, MIT; 28×28, grey), gzipped IDX files that
 * scripts/fetch-fashion-mnist.sh fetches.
 */
public final class FashionMnistDataset {
  public static final String NAME = "fashion-mnist";
  static final String FETCH_SCRIPT = "scripts/fetch-fashion-mnist.sh";
  /** The fetch scripts' default folders are data/mnist and data/fashion-mnist: siblings. */
  static final String FOLDER = "fashion-mnist";

  private FashionMnistDataset() {}

  static IdxImageSet in(Path dir) {
    return new IdxImageSet(NAME, "Fashion-MNIST", FETCH_SCRIPT, dir);
  }

  /** {@code <mnistDir>/../fashion-mnist}, so that one configured data folder serves both sets. */
  public static Path besideMnist(Path mnistDir) {
    return mnistDir.toAbsolutePath().normalize().resolveSibling(FOLDER);
  }
}
