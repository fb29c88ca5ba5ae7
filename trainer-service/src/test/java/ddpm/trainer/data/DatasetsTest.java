package ddpm.trainer.data;

import static ddpm.trainer.data.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  @Test
  void knowsTheShippedAndDownloadableSets() {
    assertEquals(List.of("digits", "mnist", "fashion-mnist"), Datasets.NAMES);
    Datasets.NAMES.forEach(name -> assertDoesNotThrow(() -> Datasets.checkName(name)));
  }

  @Test
  void acceptsAnyFolderPathWithoutLookingAtIt() {
    assertDoesNotThrow(() -> Datasets.checkName("folder:/no/such/folder"));
    assertDoesNotThrow(() -> Datasets.checkName("folder:relative/sprites"));
  }

  @Test
  void unknownDatasetNamesTheFieldAndTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("cifar"));
    assertTrue(e.getMessage().startsWith("dataset"), e.getMessage());
    assertMentions(e, "fashion-mnist", "folder:<path>", "cifar");
    assertThrows(IllegalArgumentException.class, () -> Datasets.checkName(null));
  }

  @Test
  void aFolderNeedsAPath() {
    assertMentions(assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("folder:")), "dataset", "path");
    assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("folder:a\0b"));
  }

  @Test
  void fashionMnistLivesBesideMnist() {
    assertEquals(Path.of("/srv/data/fashion-mnist"), FashionMnistDataset.besideMnist(Path.of("/srv/data/mnist/")));
    assertEquals(Path.of("/srv/fashion-mnist"), FashionMnistDataset.besideMnist(Path.of("/srv/data/../mnist")));
  }

  @Test
  void digitsNeedNoDownload() {
    Datasets datasets = new Datasets(Path.of("nowhere"));
    datasets.checkAvailable(DigitsDataset.NAME);
    assertEquals(1797, datasets.load(DigitsDataset.NAME).count());
  }
}
