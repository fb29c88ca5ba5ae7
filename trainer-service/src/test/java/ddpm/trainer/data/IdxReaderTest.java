package ddpm.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readsDimensionsAndBytes() throws IOException {
    Path file = write("images", 0x0803, new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
    IdxArray idx = IdxReader.read(file, 3);
    assertArrayEquals(new int[] {2, 2, 3}, idx.dims());
    assertEquals(255, idx.data()[11] & 0xFF);
  }

  @Test
  void refusesABadMagicNumber() throws IOException {
    Path labels = write("labels", 0x0801, new int[] {3}, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> IdxReader.read(labels, 3));
    assertTrue(e.getMessage().contains(labels.toString()) && e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    Path file = write("short", 0x0803, new int[] {2, 2, 2}, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> IdxReader.read(file, 3));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void mnistScalesPixelsToMinusOneToOne() throws IOException {
    byte[] pixels = new byte[2 * 28 * 28];
    pixels[0] = (byte) 255;
    write(MnistDataset.TRAIN_IMAGES, 0x0803, new int[] {2, 28, 28}, pixels);
    Dataset mnist = MnistDataset.load(dir);
    assertEquals(2, mnist.count());
    assertEquals(28, mnist.shape().height());
    assertEquals(1f, mnist.images()[0]);
    assertEquals(-1f, mnist.images()[1]);
  }

  @Test
  void missingMnistNamesThePathAndTheFetchScript() {
    Path absent = dir.resolve("nowhere");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Datasets(absent).checkAvailable("mnist"));
    assertTrue(e.getMessage().contains(absent.resolve(MnistDataset.TRAIN_IMAGES).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/fetch-mnist.sh"), e.getMessage());
  }

  @Test
  void unknownDatasetNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.checkName("cifar"));
    assertTrue(e.getMessage().startsWith("dataset"), e.getMessage());
  }

  private Path write(String name, int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    return Files.write(dir.resolve(name), bytes.toByteArray());
  }
}
