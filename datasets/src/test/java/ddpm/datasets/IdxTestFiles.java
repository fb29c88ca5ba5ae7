package ddpm.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, plain or gzipped. */
final class IdxTestFiles {
  static final int IMAGES_MAGIC = 0x0803;
  static final int LABELS_MAGIC = 0x0801;

  private IdxTestFiles() {}

  static Path write(Path file, int magic, int[] dims, byte[] data) throws IOException {
    return Files.write(file, idx(magic, dims, data));
  }

  static Path writeGzipped(Path file, int magic, int[] dims, byte[] data) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(idx(magic, dims, data));
    }
    return file;
  }

  /**
   * A split of {@code count} 28×28 images, image i labelled i mod 10, in the fetch scripts' layout under
   * {@code dir}: the plain files, or with {@code gzipped} the .gz ones.
   */
  static void writeSplit(Path dir, String imagesFile, String labelsFile, int count, boolean gzipped)
      throws IOException {
    Files.createDirectories(dir);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    if (gzipped) {
      writeGzipped(dir.resolve(imagesFile + ".gz"), IMAGES_MAGIC, new int[] {count, 28, 28}, images28(count));
      writeGzipped(dir.resolve(labelsFile + ".gz"), LABELS_MAGIC, new int[] {count}, labels);
    } else {
      write(dir.resolve(imagesFile), IMAGES_MAGIC, new int[] {count, 28, 28}, images28(count));
      write(dir.resolve(labelsFile), LABELS_MAGIC, new int[] {count}, labels);
    }
  }

  /** {@code count} 28×28 images; image i has pixel 0 = i and pixel 1 = 255, the rest 0. */
  static byte[] images28(int count) {
    byte[] pixels = new byte[count * 28 * 28];
    for (int i = 0; i < count; i++) {
      pixels[i * 28 * 28] = (byte) i;
      pixels[i * 28 * 28 + 1] = (byte) 255;
    }
    return pixels;
  }

  static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    return bytes.toByteArray();
  }
}
