package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistSplitTest {
  /** Fetched by the build (maven-antrun-plugin runs scripts/fetch-mnist.sh before the tests). */
  static final Path MNIST = Path.of("../data/mnist");

  @Test
  void readsTheTestHalfWithLabelsZeroToNine() {
    MnistSplit test = MnistSplit.load(MNIST, MnistSplit.Part.TEST);
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
  void missingFilesNameTheFetchScript(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MnistSplit.load(empty, MnistSplit.Part.TRAIN));
    assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh") && e.getMessage().contains(empty.toString()),
        e.getMessage());
  }
}
