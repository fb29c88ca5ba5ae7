package ddpm.evaluation.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    Images images = SampleFile.read(file, 28, 28);
    assertEquals(2, images.count());
    assertArrayEquals(pixels, images.pixels());
  }

  @Test
  void readsSeveralFilesAsOneSetInTheOrderGiven() throws IOException {
    Path first = dir.resolve("first.npz");
    Path second = dir.resolve("second.npz");
    NpzWriter.write(first, "arr_0", "|u1", filled(2, 7), 2, 28, 28, 1);
    NpzWriter.write(second, "arr_0", "|u1", filled(1, 9), 1, 28, 28);
    Images images = SampleFile.readAll(List.of(second, first), 28, 28);
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
    checkNumPyPattern(SampleFile.read(fixture("numpy-3x28x28x1.npz"), 28, 28));
  }

  @Test
  void readsWhatNumPyWritesStoredWithoutAChannelAxis() throws IOException {
    checkNumPyPattern(SampleFile.read(fixture("numpy-3x28x28.npz"), 28, 28));
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
