package ddpm.datasets;

import ddpm.diffusion.ImageShape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The data sets known by name, one row each: the table from which the choices users see, the messages about
 * them and the readers the trainer and the evaluation use all come. A downloaded one lives in
 * {@code <data root>/<id>/}, where its fetch script puts it.
 */
public enum KnownDataset {
  DIGITS("digits", "the scikit-learn 8×8 digits", "1,797 8×8 grey digits, shipped", new ImageShape(8, 8, 1),
      ClassNames.DIGITS, null, List.of(Split.TRAIN), (set, root) -> new DigitsDataset(set)),
  MNIST("mnist", "MNIST", "60,000 + 10,000 28×28 grey digits", new ImageShape(28, 28, 1), ClassNames.DIGITS,
      "scripts/fetch-mnist.sh", List.of(Split.TRAIN, Split.TEST), IdxDataset::new),
  FASHION_MNIST("fashion-mnist", "Fashion-MNIST", "60,000 + 10,000 28×28 grey garments", new ImageShape(28, 28, 1),
      ClassNames.GARMENTS, "scripts/fetch-fashion-mnist.sh", List.of(Split.TRAIN, Split.TEST), IdxDataset::new);

  private final String id;
  private final String title;
  private final String description;
  private final ImageShape shape;
  private final List<String> classNames;
  private final String fetchScript;
  private final List<Split> splits;
  private final Storage storage;

  KnownDataset(String id, String title, String description, ImageShape shape, List<String> classNames,
      String fetchScript, List<Split> splits, Storage storage) {
    this.id = id;
    this.title = title;
    this.description = description;
    this.shape = shape;
    this.classNames = classNames;
    this.fetchScript = fetchScript;
    this.splits = splits;
    this.storage = storage;
  }

  /** How a row's files are read: from this module's resources, or MNIST's IDX layout under the data root. */
  private interface Storage {
    DatasetSource open(KnownDataset set, Path root);
  }

  /** The name users give ({@code --dataset}, the request's {@code dataset}); also its folder under the data root. */
  public String id() {
    return id;
  }

  /** For messages: "MNIST", "Fashion-MNIST". */
  public String title() {
    return title;
  }

  /** For lists of choices: what the images are, and whether they are shipped. */
  public String description() {
    return description;
  }

  /** Every image's shape, the same in every split. */
  public ImageShape shape() {
    return shape;
  }

  /** Label {@code i} names class {@code classNames().get(i)}. */
  public List<String> classNames() {
    return classNames;
  }

  /** The script that downloads it, relative to the project root; empty for a shipped data set. */
  public Optional<String> fetchScript() {
    return Optional.ofNullable(fetchScript);
  }

  public List<Split> splits() {
    return splits;
  }

  /** Where its files are under {@code root}: {@code <root>/<id>}. */
  public Path dir(Path root) {
    return root.resolve(id);
  }

  /** The data set as stored under the data root {@code root}; nothing is read yet. */
  public DatasetSource source(Path root) {
    return storage.open(this, root);
  }

  public static Optional<KnownDataset> byId(String id) {
    return Arrays.stream(values()).filter(set -> set.id.equals(id)).findFirst();
  }

  /** Kept apart from the enum's own fields, which its rows cannot name while they are being built. */
  private static final class ClassNames {
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Zalando's labels 0..9. */
    static final List<String> GARMENTS = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot");
  }
}
