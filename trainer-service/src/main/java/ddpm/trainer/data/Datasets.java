package ddpm.trainer.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The data sets a training job can name: one of {@link #NAMES}, or {@code folder:<path>} for the user's own PNGs. */
public final class Datasets {
  public static final List<String> NAMES = List.of(DigitsDataset.NAME, MnistDataset.NAME, FashionMnistDataset.NAME);
  /** A folder of same-size PNG images on the trainer's machine; a relative path starts at its working folder. */
  public static final String FOLDER_PREFIX = "folder:";

  private final Path mnistDir;
  private final Path fashionMnistDir;

  /**
   * {@code mnistDir}: where scripts/fetch-mnist.sh put the MNIST IDX files; Fashion-MNIST is expected beside
   * it, in {@code <mnistDir>/../fashion-mnist}, where the fetch scripts' defaults put it.
   */
  public Datasets(Path mnistDir) {
    this(mnistDir, FashionMnistDataset.besideMnist(mnistDir));
  }

  public Datasets(Path mnistDir, Path fashionMnistDir) {
    this.mnistDir = mnistDir;
    this.fashionMnistDir = fashionMnistDir;
  }

  /** IllegalArgumentException naming the field "dataset" unless {@code name} is a known data set. */
  public static void checkName(String name) {
    if (name != null && name.startsWith(FOLDER_PREFIX)) {
      folder(name);
    } else if (name == null || !NAMES.contains(name)) {
      throw new IllegalArgumentException("dataset: must be one of " + NAMES + " or " + FOLDER_PREFIX
          + "<path>, got \"" + name + "\"");
    }
  }

  /**
   * IllegalStateException when a known data set is not on this machine; IllegalArgumentException when a
   * folder is missing or its PNGs cannot be read or do not agree in size and mode.
   */
  public void checkAvailable(String name) {
    source(name).checkAvailable();
  }

  public Dataset load(String name) {
    return source(name).load();
  }

  private DatasetSource source(String name) {
    checkName(name);
    if (name.startsWith(FOLDER_PREFIX)) {
      return new PngFolderDataset(folder(name));
    }
    return switch (name) {
      case MnistDataset.NAME -> MnistDataset.in(mnistDir);
      case FashionMnistDataset.NAME -> FashionMnistDataset.in(fashionMnistDir);
      default -> DigitsDataset::load;
    };
  }

  private static Path folder(String name) {
    String path = name.substring(FOLDER_PREFIX.length());
    if (path.isBlank()) {
      throw new IllegalArgumentException("dataset: " + FOLDER_PREFIX + " needs the path of a folder of PNG images, "
          + "such as " + FOLDER_PREFIX + "/data/sprites");
    }
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("dataset: \"" + path + "\" is not a path: " + e.getReason(), e);
    }
  }
}
