package ddpm.trainer.data;

import java.nio.file.Path;
import java.util.List;

/** The data sets a training job can name. */
public final class Datasets {
  public static final List<String> NAMES = List.of(DigitsDataset.NAME, MnistDataset.NAME);

  private final Path mnistDir;

  /** {@code mnistDir}: where scripts/fetch-mnist.sh put the MNIST IDX files. */
  public Datasets(Path mnistDir) {
    this.mnistDir = mnistDir;
  }

  /** IllegalArgumentException naming the field "dataset" unless {@code name} is a known data set. */
  public static void checkName(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("dataset: must be one of " + NAMES + ", got \"" + name + "\"");
    }
  }

  /** IllegalStateException when the data set is known but not on this machine. */
  public void checkAvailable(String name) {
    checkName(name);
    if (name.equals(MnistDataset.NAME)) {
      MnistDataset.checkPresent(mnistDir);
    }
  }

  public Dataset load(String name) {
    checkName(name);
    return name.equals(MnistDataset.NAME) ? MnistDataset.load(mnistDir) : DigitsDataset.load();
  }
}
