package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Datasets;
import ddpm.datasets.ImageSet;
import ddpm.datasets.Split;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledSplitTest {
  /** The data root the build fetches MNIST and Fashion-MNIST into (the datasets module's pom.xml). */
  static final Path DATA = Path.of("..", Datasets.DEFAULT_ROOT);

  @Test
  void holdsTheRegistrysImagesAndLabelsAsTheClassifierTakesThem() {
    LabelledSplit test = LabelledSplit.load(ReferenceDataset.FASHION_MNIST, DATA, Split.TEST);
    ImageSet registry = new Datasets(DATA).source("fashion-mnist").load(Split.TEST);
    assertEquals(10_000, test.images().count());
    assertEquals(LabelledSplit.SIDE, test.images().height());
    assertEquals(LabelledSplit.SIDE, test.images().width());
    assertArrayEquals(registry.pixels(), test.images().pixels());
    assertArrayEquals(registry.labels(), test.labels());
  }

  @Test
  void missingFilesNameTheirFolderUnderTheRootAndTheFetchScript(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LabelledSplit.load(ReferenceDataset.MNIST, empty, Split.TRAIN));
    // An absolute root is named as such, as to a trainer's client: the datasets module words every message alike.
    assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh <data root>/mnist"), e.getMessage());
  }

  @Test
  void eachReferenceIsARowOfTheRegistry() {
    assertEquals("fashion-mnist", ReferenceDataset.forId("Fashion-MNIST").id());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceDataset.forId("digits"));
    assertEquals("dataset: no classifier for 'digits'; one of mnist, fashion-mnist", e.getMessage());
  }
}
