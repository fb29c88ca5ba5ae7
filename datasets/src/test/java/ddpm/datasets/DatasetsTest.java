package ddpm.datasets;

import static ddpm.datasets.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  private final Datasets datasets = new Datasets(Path.of("nowhere"));

  @Test
  void knowsTheShippedAndDownloadableSetsAndFolders() {
    assertEquals(List.of("digits", "mnist", "fashion-mnist", "folder:<path>"), Datasets.choices());
    for (KnownDataset set : KnownDataset.values()) {
      assertDoesNotThrow(() -> Datasets.checkName(set.id()));
      assertEquals(set.id(), datasets.source(set.id()).name());
    }
  }

  @Test
  void acceptsAnyFolderUnderTheRootWithoutLookingAtIt() {
    assertDoesNotThrow(() -> Datasets.checkName("folder:no/such/folder"));
    assertDoesNotThrow(() -> Datasets.checkName("folder:relative/./sprites"));
    assertEquals("folder:relative/sprites", datasets.source("folder:relative/sprites").name());
  }

  /** Anyone who reaches the trainer may name a data set: no name reaches outside the data root. */
  @Test
  void aFolderOutsideTheRootIsRefusedNamingTheField() {
    assertMentions(assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("folder:/root")),
        "dataset: folder: takes a path relative to the data root", "\"/root\"");
    for (String outside : List.of("folder:..", "folder:../etc", "folder:sprites/../../etc", "folder:a/..")) {
      assertMentions(assertThrows(IllegalArgumentException.class, () -> datasets.source(outside)),
          "dataset: folder: stays under the data root");
    }
  }

  @Test
  void aLongNameIsCutInTheMessage() {
    String message = assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("x".repeat(9000)))
        .getMessage();
    assertTrue(message.length() < 500 && message.contains("(9000 characters)"), message);
  }

  @Test
  void unknownDatasetNamesTheFieldAndDescribesTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("cifar"));
    assertTrue(e.getMessage().startsWith("dataset"), e.getMessage());
    assertMentions(e, "digits (1,797 8×8 grey digits, shipped)", "fashion-mnist", "folder:<path>", "cifar");
    assertThrows(IllegalArgumentException.class, () -> Datasets.checkName(null));
    assertThrows(IllegalArgumentException.class, () -> datasets.source("MNIST"));
  }

  @Test
  void aFolderNeedsAPath() {
    assertMentions(assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("folder:")), "dataset", "path");
    assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("folder:a\0b"));
  }

  @Test
  void eachDownloadHasItsOwnFolderUnderTheRoot() {
    assertEquals(Path.of("/srv/data/mnist"), KnownDataset.MNIST.dir(Path.of("/srv/data")));
    assertEquals(Path.of("data/fashion-mnist"), KnownDataset.FASHION_MNIST.dir(Path.of(Datasets.DEFAULT_ROOT)));
    assertEquals("scripts/fetch-fashion-mnist.sh", KnownDataset.FASHION_MNIST.fetchScript().orElseThrow());
    assertTrue(KnownDataset.DIGITS.fetchScript().isEmpty());
  }

  @Test
  void digitsNeedNoDownload() {
    DatasetSource digits = datasets.source("digits");
    assertEquals(new ImageShape(8, 8, 1), digits.inspect(Split.TRAIN));
    assertEquals(1797, digits.load(Split.TRAIN).count());
  }

  @Test
  void knownSetsHaveTenClassesAndAFoldersClassesAreReadFromIt() {
    for (KnownDataset set : KnownDataset.values()) {
      DatasetSource source = datasets.source(set.id());
      assertTrue(source.hasLabels(), set.id());
      assertEquals(10, source.classNames().size(), set.id());
      assertTrue(source.splits().contains(Split.TRAIN), set.id());
    }
    assertEquals("Ankle boot", KnownDataset.FASHION_MNIST.classNames().get(9));
    assertEquals(List.of(Split.TRAIN, Split.TEST), KnownDataset.MNIST.splits());
    DatasetSource folder = datasets.source("folder:sprites");
    assertEquals(List.of(Split.TRAIN), folder.splits());
    assertMentions(assertThrows(IllegalArgumentException.class, folder::classNames),
        "folder:sprites does not exist");
  }

  @Test
  void aSplitTheSetLacksIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> datasets.source("digits").load(Split.TEST));
    assertMentions(e, "dataset", "digits", "no test split");
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> datasets.source("folder:sprites").inspect(Split.TEST)), "folder:sprites", "no test split");
  }
}
