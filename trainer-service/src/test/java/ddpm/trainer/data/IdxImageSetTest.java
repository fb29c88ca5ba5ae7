package ddpm.trainer.data;

import static ddpm.trainer.data.IdxTestFiles.IMAGES_MAGIC;
import static ddpm.trainer.data.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST and Fashion-MNIST as the trainer finds them: files written here, in the fetch scripts' layout. */
class IdxImageSetTest {
  @TempDir Path root;

  @Test
  void mnistScalesPixelsToMinusOneToOne() throws IOException {
    Path mnist = Files.createDirectories(root.resolve("mnist"));
    IdxTestFiles.write(mnist.resolve(MnistDataset.TRAIN_IMAGES), IMAGES_MAGIC, new int[] {3, 28, 28}, IdxTestFiles.images28(3));
    Dataset dataset = new Datasets(mnist).load(MnistDataset.NAME);
    assertEquals(MnistDataset.NAME, dataset.name());
    assertEquals(3, dataset.count());
    assertEquals(new ImageShape(28, 28, 1), dataset.shape());
    assertEquals(-1f, dataset.images()[0]);
    assertEquals(1f, dataset.images()[1]);
    assertEquals(2 / 127.5f - 1, dataset.images()[2 * 28 * 28], 1e-6);
  }

  @Test
  void fashionMnistIsReadGzippedFromBesideTheMnistFolder() throws IOException {
    Path fashion = Files.createDirectories(root.resolve(FashionMnistDataset.FOLDER));
    IdxTestFiles.writeGzipped(fashion.resolve(MnistDataset.TRAIN_IMAGES + ".gz"), IMAGES_MAGIC, new int[] {2, 28, 28},
        IdxTestFiles.images28(2));
    Datasets datasets = new Datasets(root.resolve("mnist"));
    datasets.checkAvailable(FashionMnistDataset.NAME);
    Dataset dataset = datasets.load(FashionMnistDataset.NAME);
    assertEquals(FashionMnistDataset.NAME, dataset.name());
    assertEquals(2, dataset.count());
    assertEquals(1f, dataset.images()[1]);
    assertEquals(1 / 127.5f - 1, dataset.images()[28 * 28], 1e-6);
  }

  @Test
  void fashionMnistFolderCanBeGivenExplicitly() throws IOException {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    IdxTestFiles.writeGzipped(elsewhere.resolve(MnistDataset.TRAIN_IMAGES + ".gz"), IMAGES_MAGIC, new int[] {1, 28, 28},
        IdxTestFiles.images28(1));
    assertEquals(1, new Datasets(root.resolve("mnist"), elsewhere).load(FashionMnistDataset.NAME).count());
  }

  @Test
  void missingMnistNamesThePathAndTheFetchScript() {
    Path absent = root.resolve("nowhere");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Datasets(absent).checkAvailable("mnist"));
    assertMentions(e, absent.resolve(MnistDataset.TRAIN_IMAGES).toString(), "scripts/fetch-mnist.sh");
  }

  @Test
  void missingFashionMnistNamesTheSiblingFolderAndItsFetchScript() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Datasets(root.resolve("mnist")).checkAvailable(FashionMnistDataset.NAME));
    assertMentions(e, root.resolve("fashion-mnist").resolve(MnistDataset.TRAIN_IMAGES).toString(),
        "scripts/fetch-fashion-mnist.sh");
  }

  @Test
  void imagesOfTheWrongSizeAreRefused() throws IOException {
    IdxTestFiles.write(root.resolve(MnistDataset.TRAIN_IMAGES), IMAGES_MAGIC, new int[] {1, 8, 8}, new byte[64]);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> MnistDataset.load(root));
    assertMentions(e, "8×8", "28×28");
  }

  @Test
  void aCorruptFileNamesItselfAndTheFetchScript() throws IOException {
    Path file = Files.write(root.resolve(MnistDataset.TRAIN_IMAGES), new byte[] {1, 2, 3, 4, 5, 6});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> MnistDataset.load(root));
    assertMentions(e, file.toString(), "scripts/fetch-mnist.sh");
  }
}
