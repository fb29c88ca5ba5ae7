package ddpm.datasets;

import static ddpm.datasets.IdxTestFiles.IMAGES_MAGIC;
import static ddpm.datasets.IdxTestFiles.LABELS_MAGIC;
import static ddpm.datasets.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.datasets.IdxReader.IdxArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  private static final int[] DIMS = {2, 2, 3};
  private static final byte[] DATA = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};

  @TempDir Path dir;

  @Test
  void readsDimensionsAndBytes() throws IOException {
    IdxArray idx = IdxReader.read(IdxTestFiles.write(dir.resolve("images"), IMAGES_MAGIC, DIMS, DATA), 3);
    assertArrayEquals(DIMS, idx.dims());
    assertArrayEquals(DATA, idx.data());
    assertEquals(255, idx.data()[11] & 0xFF);
  }

  @Test
  void readsGzipByItsMagicBytesWhateverTheName() throws IOException {
    IdxArray idx = IdxReader.read(IdxTestFiles.writeGzipped(dir.resolve("images-no-suffix"), IMAGES_MAGIC, DIMS, DATA), 3);
    assertArrayEquals(DIMS, idx.dims());
    assertArrayEquals(DATA, idx.data());
  }

  @Test
  void readsAPlainFileNamedGz() throws IOException {
    IdxArray idx = IdxReader.read(IdxTestFiles.write(dir.resolve("images.gz"), IMAGES_MAGIC, DIMS, DATA), 3);
    assertArrayEquals(DATA, idx.data());
  }

  @Test
  void refusesABadMagicNumber() throws IOException {
    Path labels = IdxTestFiles.write(dir.resolve("labels"), LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> IdxReader.read(labels, 3));
    assertMentions(e, labels.toString(), "magic");
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    Path file = IdxTestFiles.write(dir.resolve("short"), IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[] {1, 2, 3});
    assertMentions(assertThrows(IOException.class, () -> IdxReader.read(file, 3)), file.toString(), "truncated");
  }

  @Test
  void refusesATruncatedGzipFile() throws IOException {
    Path whole = IdxTestFiles.writeGzipped(dir.resolve("whole.gz"), IMAGES_MAGIC, DIMS, DATA);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length / 2));
    assertMentions(assertThrows(IOException.class, () -> IdxReader.read(cut, 3)), cut.toString(), "truncated");
  }

  @Test
  void refusesAnEmptyFile() throws IOException {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertMentions(assertThrows(IOException.class, () -> IdxReader.read(empty, 3)), empty.toString(), "truncated");
  }

  @Test
  void refusesBytesBeyondTheAnnouncedShape() throws IOException {
    Path file = IdxTestFiles.write(dir.resolve("long"), IMAGES_MAGIC, new int[] {1, 2, 2}, DATA);
    assertMentions(assertThrows(IOException.class, () -> IdxReader.read(file, 3)), file.toString(), "more than the 4");
  }

  @Test
  void dimsReadsTheHeaderOfAPlainOrGzippedFile() throws IOException {
    assertArrayEquals(DIMS, IdxReader.dims(IdxTestFiles.write(dir.resolve("plain"), IMAGES_MAGIC, DIMS, DATA), 3));
    assertArrayEquals(DIMS, IdxReader.dims(IdxTestFiles.writeGzipped(dir.resolve("gz"), IMAGES_MAGIC, DIMS, DATA), 3));
    Path labels = IdxTestFiles.write(dir.resolve("labels"), LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3});
    assertMentions(assertThrows(IOException.class, () -> IdxReader.dims(labels, 3)), labels.toString(), "magic");
  }

  @Test
  void dimsChecksAPlainFilesLengthAgainstItsHeader() throws IOException {
    Path shorter = IdxTestFiles.write(dir.resolve("short"), IMAGES_MAGIC, new int[] {2, 2, 2}, new byte[] {1, 2, 3});
    assertMentions(assertThrows(IOException.class, () -> IdxReader.dims(shorter, 3)), shorter.toString(), "truncated");
    Path longer = IdxTestFiles.write(dir.resolve("long"), IMAGES_MAGIC, new int[] {1, 2, 2}, DATA);
    assertMentions(assertThrows(IOException.class, () -> IdxReader.dims(longer, 3)), longer.toString(),
        "more than the 4");
  }

  /** Only inflating all of a gzipped file would show that it is cut short: dims leaves that to read. */
  @Test
  void dimsDoesNotInflateAGzippedFileBeyondItsHeader() throws IOException {
    Path cut = IdxTestFiles.writeGzipped(dir.resolve("cut.gz"), IMAGES_MAGIC, DIMS, new byte[] {1, 2});
    assertArrayEquals(DIMS, IdxReader.dims(cut, 3));
    assertMentions(assertThrows(IOException.class, () -> IdxReader.read(cut, 3)), cut.toString(), "truncated");
  }
}
