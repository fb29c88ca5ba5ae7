package ddpm.datasets;

import static ddpm.datasets.MessageAssertions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad folder is refused before training, with a message naming the folder as the user named it (under the data
 * root) and what is wrong, and neither the server's path nor anything else the folder holds.
 */
class PngFolderProblemsTest {
  private static final String SPRITES = "folder:sprites";

  @TempDir Path root;
  private Path dir;
  private Datasets datasets;
  private final List<IllegalArgumentException> refusals = new ArrayList<>();

  @BeforeEach
  void makeTheFolder() throws IOException {
    dir = Files.createDirectories(root.resolve("sprites"));
    datasets = new Datasets(root);
  }

  @AfterEach
  void noMessageNamesTheServersPath() {
    for (IllegalArgumentException e : refusals) {
      assertFalse(e.getMessage().contains(root.toString()), e.getMessage());
    }
  }

  @Test
  void missingFolder() {
    assertMentions(refusedBeforeLoading("folder:absent"), "folder:absent does not exist under the data root");
  }

  @Test
  void fileInsteadOfFolder() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    assertMentions(refusedBeforeLoading("folder:sprites/a.png"), "folder:sprites/a.png is not a folder");
  }

  @Test
  void emptyFolder() {
    assertMentions(refusedBeforeLoading(SPRITES), SPRITES, "is empty");
  }

  /** Naming what else a folder holds would let a client list the server's folders. */
  @Test
  void noPngsNamesNoOtherFile() throws IOException {
    Files.writeString(dir.resolve("a.jpg"), "jpeg, allegedly");
    IllegalArgumentException e = refusedBeforeLoading(SPRITES);
    assertMentions(e, SPRITES, "no .png files");
    assertFalse(e.getMessage().contains("a.jpg"), e.getMessage());
  }

  @Test
  void mixedSizesNameTwoFilesAndTheirSizes() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 2, 2, new int[4]);
    TestPngs.gray(dir.resolve("b.png"), 2, 2, new int[4]);
    TestPngs.gray(dir.resolve("c.png"), 3, 2, new int[6]);
    assertMentions(refusedBeforeLoading(SPRITES), SPRITES, "a.png is 2×2 grayscale", "c.png is 3×2 grayscale");
  }

  @Test
  void mixedModesNameTwoFilesAndTheirModes() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    TestPngs.rgb(dir.resolve("b.png"), 1, 1, 0);
    assertMentions(refusedBeforeLoading(SPRITES), "a.png is 1×1 grayscale", "b.png is 1×1 RGB");
  }

  @Test
  void notAPng() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    Files.writeString(dir.resolve("b.png"), "<html>a download error page</html>");
    assertMentions(refusedBeforeLoading(SPRITES), SPRITES, "b.png", "not a PNG");
  }

  @Test
  void truncatedPng() throws IOException {
    byte[] whole = Files.readAllBytes(TestPngs.gray(dir.resolve("a.png"), 8, 8, new int[64]));
    Files.write(dir.resolve("a.png"), Arrays.copyOf(whole, whole.length - 20));
    assertMentions(refusedBeforeLoading(SPRITES), "a.png", "truncated");
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
    datasets.source(SPRITES).inspect(Split.TRAIN);
    assertMentions(refused(() -> datasets.source(SPRITES).load(Split.TRAIN)), SPRITES, "a.png");
  }

  @Test
  void transparentPixelsAreNamedWhenLoading() throws IOException {
    TestPngs.argb(dir.resolve("a.png"), 2, 1, 0xff000000, 0x80ffffff);
    datasets.source(SPRITES).inspect(Split.TRAIN);
    assertMentions(refused(() -> datasets.source(SPRITES).load(Split.TRAIN)), "a.png", "transparent", "x=1, y=0");
  }

  @Test
  void imagesBesideClassFoldersNameOneOfEach() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 0);
    TestPngs.gray(Files.createDirectories(dir.resolve("cat")).resolve("b.png"), 1, 1, 0);
    assertMentions(refusedBeforeLoading(SPRITES), SPRITES, "a.png", "cat/", "class folders");
  }

  @Test
  void classFolderWithoutPngsIsNamed() throws IOException {
    TestPngs.gray(Files.createDirectories(dir.resolve("cat")).resolve("a.png"), 1, 1, 0);
    Files.writeString(Files.createDirectories(dir.resolve("dog")).resolve("a.jpg"), "jpeg, allegedly");
    IllegalArgumentException e = refusedBeforeLoading(SPRITES);
    assertMentions(e, SPRITES, "class folder dog/", "no .png files");
    assertFalse(e.getMessage().contains("a.jpg"), e.getMessage());
  }

  @Test
  void emptyClassFolderIsNamedWhenAskedForClasses() throws IOException {
    TestPngs.gray(Files.createDirectories(dir.resolve("cat")).resolve("a.png"), 1, 1, 0);
    Files.createDirectories(dir.resolve("dog"));
    assertMentions(refused(() -> datasets.source(SPRITES).classNames()), "class folder dog/");
  }

  @Test
  void notAPngInAClassFolderIsNamedByItsPathInTheFolder() throws IOException {
    Path cat = Files.createDirectories(dir.resolve("cat"));
    TestPngs.gray(cat.resolve("a.png"), 1, 1, 0);
    Files.writeString(cat.resolve("b.png"), "<html>a download error page</html>");
    assertMentions(refusedBeforeLoading(SPRITES), SPRITES, "cat/b.png", "not a PNG");
  }

  @Test
  void mixedSizesAcrossClassesNameBothFiles() throws IOException {
    TestPngs.gray(Files.createDirectories(dir.resolve("cat")).resolve("a.png"), 2, 2, new int[4]);
    TestPngs.gray(Files.createDirectories(dir.resolve("dog")).resolve("a.png"), 3, 2, new int[6]);
    assertMentions(refusedBeforeLoading(SPRITES), "cat/a.png is 2×2 grayscale", "dog/a.png is 3×2 grayscale");
  }

  private IllegalArgumentException refusedBeforeLoading(String name) {
    return refused(() -> datasets.source(name).inspect(Split.TRAIN));
  }

  private IllegalArgumentException refused(Executable reading) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reading);
    refusals.add(e);
    return e;
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
