package ddpm.evaluation.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The labelled 28×28 grey data sets that generated images can be scored against, each with a classifier of its
 * own shipped in this module. They differ only in these fields: both are stored MNIST's way (IDX files,
 * plain or gzipped) and fetched by a script of the project.
 */
public enum ReferenceDataset {
  MNIST("mnist", "MNIST", "scripts/fetch-mnist.sh"),
  FASHION_MNIST("fashion-mnist", "Fashion-MNIST", "scripts/fetch-fashion-mnist.sh");

  private final String id;
  private final String title;
  private final String fetchScript;

  ReferenceDataset(String id, String title, String fetchScript) {
    this.id = id;
    this.title = title;
    this.fetchScript = fetchScript;
  }

  /** The name users give, as in {@code --dataset}; also the folder under data/ that the fetch script fills. */
  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public String fetchScript() {
    return fetchScript;
  }

  /** Where the fetch script puts the files by default, relative to the project root. */
  public String defaultDir() {
    return "data/" + id;
  }

  /** Throws IllegalArgumentException listing the known ids. */
  public static ReferenceDataset forId(String id) {
    return Arrays.stream(values()).filter(d -> d.id.equals(id.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("dataset: no classifier for '" + id + "'; one of "
            + Arrays.stream(values()).map(ReferenceDataset::id).collect(Collectors.joining(", "))));
  }
}
