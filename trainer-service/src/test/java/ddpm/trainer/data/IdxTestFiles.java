package ddpm.trainer.data;

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

  /** {@code count} 28×28 images; image i has pixel 0 = i and pixel 1 = 255, the rest 0. */
  static byte[] images28(int count) {
    byte[] pixels = new byte[count * 28 * 28];
    for (int i = 0; i < count; i++) {
      pixels[i * 28 * 28] = (byte) i;
      pixels[i * 28 * 28 + 1] = (byte) 255;
    }
    return pixels;
  }

  private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
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
