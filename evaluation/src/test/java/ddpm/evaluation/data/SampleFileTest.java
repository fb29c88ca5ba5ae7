package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleFileTest {
  @TempDir Path dir;

  @Test
  void readsWhatTheSampleCommandWrites() throws IOException {
    byte[] pixels = new byte[2 * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    Path file = dir.resolve("s.npz");
    NpzWriter.write(file, "arr_0", "|u1", pixels, 2, 28, 28, 1);
    SampleSet set = SampleFile.read(file, 28, 28);
    assertEquals(2, set.images().count());
    assertArrayEquals(pixels, set.images().pixels());
    assertFalse(set.hasRequestedClasses());
  }

  @Test
  void readsTheRequestedClassesBesideTheImagesAsInt64OrInt32() throws IOException {
    Path int64 = dir.resolve("int64.npz");
    NpzWriter.writeLabelled(int64, 3, 28, 28, filled(3, 1), new int[] {7, 0, 9});
    assertArrayEquals(new int[] {7, 0, 9}, SampleFile.read(int64, 28, 28).requestedClasses());
    Path int32 = dir.resolve("int32.npz");
    NpzWriter.write(int32, new NpzWriter.Array("arr_0", "|u1", filled(2, 1), 2, 28, 28),
        new NpzWriter.Array("arr_1", "<i4", new byte[] {3, 0, 0, 0, 4, 0, 0, 0}, 2));
    assertArrayEquals(new int[] {3, 4}, SampleFile.read(int32, 28, 28).requestedClasses());
  }

  @Test
  void joinsTheRequestedClassesOfSeveralFilesInTheOrderGiven() throws IOException {
    Path first = dir.resolve("first.npz");
    Path second = dir.resolve("second.npz");
    NpzWriter.writeLabelled(first, 2, 28, 28, filled(2, 1), new int[] {1, 2});
    NpzWriter.writeLabelled(second, 1, 28, 28, filled(1, 1), new int[] {5});
    assertArrayEquals(new int[] {5, 1, 2},
        SampleFile.readAll(List.of(second, first), 28, 28).requestedClasses());
  }

  @Test
  void refusesLabelledAndUnlabelledFilesInOneSetNamingBoth() throws IOException {
    Path labelled = dir.resolve("labelled.npz");
    Path plain = dir.resolve("plain.npz");
    NpzWriter.writeLabelled(labelled, 1, 28, 28, filled(1, 1), new int[] {5});
    NpzWriter.write(plain, "arr_0", "|u1", filled(1, 1), 1, 28, 28);
    IOException e = assertThrows(IOException.class, () -> SampleFile.readAll(List.of(plain, labelled), 28, 28));
    assertTrue(e.getMessage().startsWith(labelled + " holds requested classes (arr_1) and " + plain),
        e.getMessage());
  }

  @Test
  void refusesLabelsOfAnotherCountOrTypeNamingArr1() throws IOException {
    Path count = dir.resolve("count.npz");
    NpzWriter.write(count, new NpzWriter.Array("arr_0", "|u1", filled(2, 1), 2, 28, 28),
        new NpzWriter.Array("arr_1", "<i8", new byte[8], 1));
    assertRefused(count, "arr_1 has shape [1], expected one label per image of arr_0: [2]");
    Path floats = dir.resolve("floats.npz");
    NpzWriter.write(floats, new NpzWriter.Array("arr_0", "|u1", filled(1, 1), 1, 28, 28),
        new NpzWriter.Array("arr_1", "<f8", new byte[8], 1));
    assertRefused(floats, "arr_1 has dtype '<f8'");
    Path negative = dir.resolve("negative.npz");
    NpzWriter.write(negative, new NpzWriter.Array("arr_0", "|u1", filled(1, 1), 1, 28, 28),
        new NpzWriter.Array("arr_1", "<i4", new byte[] {-1, -1, -1, -1}, 1));
    assertRefused(negative, "arr_1[0] is -1");
  }

  @Test
  void readsSeveralFilesAsOneSetInTheOrderGiven() throws IOException {
    Path first = dir.resolve("first.npz");
    Path second = dir.resolve("second.npz");
    NpzWriter.write(first, "arr_0", "|u1", filled(2, 7), 2, 28, 28, 1);
    NpzWriter.write(second, "arr_0", "|u1", filled(1, 9), 1, 28, 28);
    Images images = SampleFile.readAll(List.of(second, first), 28, 28).images();
    assertEquals(3, images.count());
    byte[] expected = new byte[3 * 28 * 28];
    System.arraycopy(filled(1, 9), 0, expected, 0, 28 * 28);
    System.arraycopy(filled(2, 7), 0, expected, 28 * 28, 2 * 28 * 28);
    assertArrayEquals(expected, images.pixels());
  }

  private static byte[] filled(int images, int value) {
    byte[] pixels = new byte[images * 28 * 28];
    Arrays.fill(pixels, (byte) value);
    return pixels;
  }

  @Test
  void headerIsPaddedAsNumPyRequires() {
    byte[] header = NpzWriter.header("|u1", 2, 28, 28, 1);
    assertEquals(0, header.length % 64);
    assertEquals('\n', header[header.length - 1]);
  }

  @Test
  void readsWhatNumPyWritesCompressedWithAChannelAxis() throws IOException {
    checkNumPyPattern(SampleFile.read(fixture("numpy-3x28x28x1.npz"), 28, 28).images());
  }

  @Test
  void readsWhatNumPyWritesStoredWithoutAChannelAxis() throws IOException {
    checkNumPyPattern(SampleFile.read(fixture("numpy-3x28x28.npz"), 28, 28).images());
  }

  @Test
  void refusesFloatsNamingTheFileAndDtype() throws IOException {
    Path file = dir.resolve("floats.npz");
    NpzWriter.write(file, "arr_0", "<f4", new byte[4 * 28 * 28], 1, 28, 28, 1);
    assertRefused(file, "'<f4'");
  }

  @Test
  void refusesTheWrongImageSizeOrColour() throws IOException {
    Path small = dir.resolve("small.npz");
    NpzWriter.write(small, "arr_0", "|u1", new byte[8 * 8], 1, 8, 8, 1);
    assertRefused(small, "[1, 8, 8, 1]");
    Path colour = dir.resolve("colour.npz");
    NpzWriter.write(colour, "arr_0", "|u1", new byte[28 * 28 * 3], 1, 28, 28, 3);
    assertRefused(colour, "[1, 28, 28, 3]");
  }

  @Test
  void refusesAFileWithoutArr0ListingWhatItHolds() throws IOException {
    Path file = dir.resolve("other.npz");
    NpzWriter.write(file, "images", "|u1", new byte[28 * 28], 1, 28, 28);
    assertRefused(file, "images.npy");
  }

  @Test
  void refusesATruncatedArray() throws IOException {
    Path file = dir.resolve("short.npz");
    NpzWriter.write(file, "arr_0", "|u1", new byte[28 * 28], 2, 28, 28);
    assertRefused(file, "needs 1568");
  }

  @Test
  void refusesWhatIsNotAnNpzOrIsMissing() throws IOException {
    Path text = Files.writeString(dir.resolve("text.npz"), "not a zip");
    assertRefused(text, "not an .npz");
    assertRefused(dir.resolve("absent.npz"), "no such file");
  }

  private void assertRefused(Path file, String detail) {
    IOException e = assertThrows(IOException.class, () -> SampleFile.read(file, 28, 28));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(detail), e.getMessage());
  }

  private Path fixture(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = SampleFileTest.class.getResourceAsStream(name)) {
      Files.copy(in, file);
    }
    return file;
  }

  /** The fixtures hold pixel (i, r, c) = (50i + 7r + 3c) mod 256; see the README beside them. */
  private static void checkNumPyPattern(Images images) {
    assertEquals(3, images.count());
    for (int i = 0; i < 3; i++) {
      for (int r = 0; r < 28; r++) {
        for (int c = 0; c < 28; c++) {
          assertEquals((50 * i + 7 * r + 3 * c) % 256, images.pixels()[(i * 28 + r) * 28 + c] & 0xFF);
        }
      }
    }
  }
}
