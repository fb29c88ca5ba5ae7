package ddpm.evaluation.data;

import ddpm.datasets.KnownDataset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data sets that generated images can be scored against: those with a classifier of their own shipped in
 * this module (see ShippedClassifier). What they are, where their files live and how they are read is their row
 * of the registry, {@link KnownDataset}.
 */
public enum ReferenceDataset {
  MNIST(KnownDataset.MNIST),
  FASHION_MNIST(KnownDataset.FASHION_MNIST);

  private final KnownDataset dataset;

  ReferenceDataset(KnownDataset dataset) {
    this.dataset = dataset;
  }

  public KnownDataset dataset() {
    return dataset;
  }

  /** The name users give, as in {@code --dataset}: the registry's. */
  public String id() {
    return dataset.id();
  }

  /** Throws IllegalArgumentException listing the known ids. */
  public static ReferenceDataset forId(String id) {
    return Arrays.stream(values()).filter(d -> d.id().equals(id.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("dataset: no classifier for '" + id + "'; one of "
            + Arrays.stream(values()).map(ReferenceDataset::id).collect(Collectors.joining(", "))));
  }

  /** The ids, as the choices a command line lists ({@code completionCandidates}). */
  public static final class Ids implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(ReferenceDataset::id).iterator();
    }
  }
}
