package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledSplitTest {
  /** Fetched by the build (maven-antrun-plugin runs scripts/fetch-mnist.sh before the tests). */
  static final Path MNIST = Path.of("../data/mnist");
  /** Fetched by the build too (scripts/fetch-fashion-mnist.sh). */
  static final Path FASHION_MNIST = Path.of("../data/fashion-mnist");

  @Test
  void readsTheTestHalfWithLabelsZeroToNine() {
    LabelledSplit test = LabelledSplit.load(ReferenceDataset.MNIST, MNIST, LabelledSplit.Part.TEST);
    assertEquals(10_000, test.images().count());
    assertEquals(28, test.images().height());
    int[] counts = new int[10];
    for (int label : test.labels()) {
      counts[label]++;
    }
    // MNIST-test's published class counts, zeros first.
    assertEquals(980, counts[0]);
    assertEquals(1009, counts[9]);
  }

  @Test
  void readsFashionMnistFromItsGzippedFiles() {
    LabelledSplit test = LabelledSplit.load(ReferenceDataset.FASHION_MNIST, FASHION_MNIST, LabelledSplit.Part.TEST);
    assertEquals(10_000, test.images().count());
    int[] counts = new int[10];
    for (int label : test.labels()) {
      counts[label]++;
    }
    // Fashion-MNIST-test holds exactly 1,000 images of each garment.
    for (int count : counts) {
      assertEquals(1000, count);
    }
  }

  @Test
  void missingFilesNameTheFetchScript(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LabelledSplit.load(ReferenceDataset.MNIST, empty, LabelledSplit.Part.TRAIN));
    assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh") && e.getMessage().contains(empty.toString()),
        e.getMessage());
  }
}
