package ddpm.datasets;

import static ddpm.datasets.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad folder is refused before training, with a message naming the path and what is wrong. */
class PngFolderProblemsTest {
  @TempDir Path dir;

  private final Datasets datasets = new Datasets(Path.of("data"));

  @Test
  void missingFolder() {
    Path absent = dir.resolve("absent");
    assertMentions(refusedBeforeLoading(absent), absent.toString(), "does not exist");
  }

  @Test
  void fileInsteadOfFolder() throws IOException {
    Path file = TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    assertMentions(refusedBeforeLoading(file), file.toString(), "is not a folder");
  }

  @Test
  void emptyFolder() {
    assertMentions(refusedBeforeLoading(dir), dir.toString(), "is empty");
  }

  @Test
  void noPngs() throws IOException {
    Files.writeString(dir.resolve("a.jpg"), "jpeg, allegedly");
    assertMentions(refusedBeforeLoading(dir), dir.toString(), "no .png files", "a.jpg");
  }

  @Test
  void mixedSizesNameTwoFilesAndTheirSizes() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 2, 2, new int[4]);
    TestPngs.gray(dir.resolve("b.png"), 2, 2, new int[4]);
    TestPngs.gray(dir.resolve("c.png"), 3, 2, new int[6]);
    assertMentions(refusedBeforeLoading(dir), dir.toString(), "a.png is 2×2 grayscale", "c.png is 3×2 grayscale");
  }

  @Test
  void mixedModesNameTwoFilesAndTheirModes() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    TestPngs.rgb(dir.resolve("b.png"), 1, 1, 0);
    assertMentions(refusedBeforeLoading(dir), "a.png is 1×1 grayscale", "b.png is 1×1 RGB");
  }

  @Test
  void notAPng() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    Files.writeString(dir.resolve("b.png"), "<html>a download error page</html>");
    assertMentions(refusedBeforeLoading(dir), dir.toString(), "b.png", "not a PNG");
  }

  @Test
  void truncatedPng() throws IOException {
    byte[] whole = Files.readAllBytes(TestPngs.gray(dir.resolve("a.png"), 8, 8, new int[64]));
    Files.write(dir.resolve("a.png"), Arrays.copyOf(whole, whole.length - 20));
    assertMentions(refusedBeforeLoading(dir), "a.png", "truncated");
  }

  /** Damage inside the compressed pixels shows only when decoding, which happens when the job loads. */
  @Test
  void corruptPixelDataIsNamedWhenLoading() throws IOException {
    Path file = TestPngs.gray(dir.resolve("a.png"), 8, 8, new int[64]);
    byte[] bytes = Files.readAllBytes(file);
    int idat = indexOf(bytes, "IDAT".getBytes(StandardCharsets.US_ASCII));
    int length = ((bytes[idat - 4] & 0xff) << 24) | ((bytes[idat - 3] & 0xff) << 16) | ((bytes[idat - 2] & 0xff) << 8)
        | (bytes[idat - 1] & 0xff);
    Arrays.fill(bytes, idat + 4, idat + 4 + length, (byte) 0xff);
    Files.write(file, bytes);
    folder(dir).inspect(Split.TRAIN);
    assertMentions(assertThrows(IllegalArgumentException.class, () -> folder(dir).load(Split.TRAIN)), dir.toString(),
        "a.png");
  }

  @Test
  void transparentPixelsAreNamedWhenLoading() throws IOException {
    TestPngs.argb(dir.resolve("a.png"), 2, 1, 0xff000000, 0x80ffffff);
    folder(dir).inspect(Split.TRAIN);
    assertMentions(assertThrows(IllegalArgumentException.class, () -> folder(dir).load(Split.TRAIN)),
        "a.png", "transparent", "x=1, y=0");
  }

  private IllegalArgumentException refusedBeforeLoading(Path folder) {
    return assertThrows(IllegalArgumentException.class, () -> folder(folder).inspect(Split.TRAIN));
  }

  private DatasetSource folder(Path folder) {
    return datasets.source(Datasets.FOLDER_PREFIX + folder);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("no " + new String(part, StandardCharsets.US_ASCII) + " in the test image");
  }
}
