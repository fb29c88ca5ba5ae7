package ddpm.datasets;

import static ddpm.datasets.IdxTestFiles.IMAGES_MAGIC;
import static ddpm.datasets.IdxTestFiles.LABELS_MAGIC;
import static ddpm.datasets.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST and Fashion-MNIST as the registry finds them: files written here, in the fetch scripts' layout. */
class IdxDatasetTest {
  private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

  @TempDir Path root;

  private Path mnist() {
    return root.resolve("mnist");
  }

  private DatasetSource source(String name) {
    return new Datasets(root).source(name);
  }

  @Test
  void mnistKeepsPixelsAndLabelsInFileOrder() throws IOException {
    IdxTestFiles.writeSplit(mnist(), TRAIN_IMAGES, TRAIN_LABELS, 3, false);
    ImageSet train = source("mnist").load(Split.TRAIN);
    assertEquals("mnist", train.name());
    assertEquals(3, train.count());
    assertEquals(new ImageShape(28, 28, 1), train.shape());
    assertArrayEquals(IdxTestFiles.images28(3), train.pixels());
    assertArrayEquals(new int[] {0, 1, 2}, train.labels());
  }

  @Test
  void theTestSplitIsReadFromTheT10kFiles() throws IOException {
    IdxTestFiles.writeSplit(mnist(), "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 12, false);
    ImageSet test = source("mnist").load(Split.TEST);
    assertEquals(12, test.count());
    assertEquals(1, test.labels()[11]);
    assertMentions(assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN)),
        TRAIN_IMAGES, "scripts/fetch-mnist.sh");
  }

  @Test
  void fashionMnistIsReadGzippedFromItsFolderUnderTheRoot() throws IOException {
    IdxTestFiles.writeSplit(root.resolve("fashion-mnist"), TRAIN_IMAGES, TRAIN_LABELS, 2, true);
    DatasetSource fashion = source("fashion-mnist");
    assertEquals(new ImageShape(28, 28, 1), fashion.inspect(Split.TRAIN));
    ImageSet train = fashion.load(Split.TRAIN);
    assertEquals("fashion-mnist", train.name());
    assertArrayEquals(IdxTestFiles.images28(2), train.pixels());
    assertArrayEquals(new int[] {0, 1}, train.labels());
  }

  /** A trainer's client reads these messages: an absolute data root is named as such, never by its path. */
  @Test
  void missingMnistNamesThePathUnderTheDataRootAndTheFetchScript() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN));
    assertMentions(e, "<data root>/mnist/" + TRAIN_IMAGES, "scripts/fetch-mnist.sh <data root>/mnist");
    assertFalse(e.getMessage().contains(root.toString()), e.getMessage());
  }

  @Test
  void aRelativeDataRootIsNamedAsGivenSoTheAdviceCanBePasted() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Datasets(Path.of("no-such-data")).source("mnist").inspect(Split.TRAIN));
    assertMentions(e, "no-such-data/mnist/" + TRAIN_IMAGES, "run scripts/fetch-mnist.sh no-such-data/mnist");
  }

  @Test
  void missingFashionMnistNamesItsFolderAndItsFetchScript() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> source("fashion-mnist").inspect(Split.TRAIN));
    assertMentions(e, "<data root>/fashion-mnist/" + TRAIN_IMAGES, "scripts/fetch-fashion-mnist.sh");
  }

  @Test
  void missingLabelsAreRefusedBeforeLoading() throws IOException {
    Files.createDirectories(mnist());
    IdxTestFiles.write(mnist().resolve(TRAIN_IMAGES), IMAGES_MAGIC, new int[] {1, 28, 28}, IdxTestFiles.images28(1));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN));
    assertMentions(e, TRAIN_LABELS, "not downloaded", "scripts/fetch-mnist.sh");
  }

  @Test
  void imagesOfTheWrongSizeAreRefusedFromTheHeader() throws IOException {
    Files.createDirectories(mnist());
    IdxTestFiles.write(mnist().resolve(TRAIN_IMAGES), IMAGES_MAGIC, new int[] {1, 8, 8}, new byte[64]);
    IdxTestFiles.write(mnist().resolve(TRAIN_LABELS), LABELS_MAGIC, new int[] {1}, new byte[1]);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN));
    assertMentions(e, "8×8", "28×28");
  }

  @Test
  void moreLabelsThanImagesAreRefusedFromTheHeaders() throws IOException {
    Files.createDirectories(mnist());
    IdxTestFiles.write(mnist().resolve(TRAIN_IMAGES), IMAGES_MAGIC, new int[] {1, 28, 28}, IdxTestFiles.images28(1));
    IdxTestFiles.write(mnist().resolve(TRAIN_LABELS), LABELS_MAGIC, new int[] {2}, new byte[2]);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN));
    assertMentions(e, "2 labels for the 1 images", "scripts/fetch-mnist.sh");
  }

  @Test
  void aLabelOutsideTheClassesIsRefusedWhenLoading() throws IOException {
    Files.createDirectories(mnist());
    IdxTestFiles.write(mnist().resolve(TRAIN_IMAGES), IMAGES_MAGIC, new int[] {2, 28, 28}, IdxTestFiles.images28(2));
    IdxTestFiles.write(mnist().resolve(TRAIN_LABELS), LABELS_MAGIC, new int[] {2}, new byte[] {9, 10});
    source("mnist").inspect(Split.TRAIN);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").load(Split.TRAIN));
    assertMentions(e, TRAIN_LABELS, "label 10 of image 1", "0..9");
  }

  @Test
  void aCorruptFileNamesItselfAndTheFetchScript() throws IOException {
    IdxTestFiles.writeSplit(mnist(), TRAIN_IMAGES, TRAIN_LABELS, 1, false);
    Path file = Files.write(mnist().resolve(TRAIN_IMAGES), new byte[] {1, 2, 3, 4, 5, 6});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN));
    assertMentions(e, "<data root>/mnist/" + file.getFileName(), "scripts/fetch-mnist.sh");
    assertFalse(e.getMessage().contains(root.toString()), e.getMessage());
  }

  @Test
  void aTruncatedPlainFileIsRefusedFromItsLength() throws IOException {
    IdxTestFiles.writeSplit(mnist(), TRAIN_IMAGES, TRAIN_LABELS, 2, false);
    Path file = mnist().resolve(TRAIN_IMAGES);
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 1));
    assertMentions(assertThrows(IllegalStateException.class, () -> source("mnist").inspect(Split.TRAIN)),
        "<data root>/mnist/" + TRAIN_IMAGES, "truncated");
  }

  /** A gzipped file whose pixels were cut off passes inspection, which reads the header alone; loading finds it. */
  @Test
  void inspectingReadsOnlyTheHeaders() throws IOException {
    IdxTestFiles.writeSplit(root.resolve("fashion-mnist"), TRAIN_IMAGES, TRAIN_LABELS, 3, true);
    Path images = root.resolve("fashion-mnist").resolve(TRAIN_IMAGES + ".gz");
    byte[] whole = IdxTestFiles.idx(IMAGES_MAGIC, new int[] {3, 28, 28}, IdxTestFiles.images28(3));
    byte[] headerAndOneRow = Arrays.copyOf(whole, 16 + 28);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images))) {
      out.write(headerAndOneRow);
    }
    DatasetSource fashion = source("fashion-mnist");
    assertEquals(new ImageShape(28, 28, 1), fashion.inspect(Split.TRAIN));
    assertMentions(assertThrows(IllegalStateException.class, () -> fashion.load(Split.TRAIN)),
        "<data root>/fashion-mnist/" + images.getFileName(), "truncated", "scripts/fetch-fashion-mnist.sh");
  }
}
