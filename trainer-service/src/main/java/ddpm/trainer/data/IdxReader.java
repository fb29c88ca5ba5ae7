package ddpm.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads IDX files of unsigned bytes (the MNIST format): a magic number 0x0000_08_NN, where NN is the
 * number of dimensions, then NN big-endian int32 sizes, then the bytes in row-major order.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** The dimensions and bytes of {@code file}; fails unless it holds exactly {@code dimensions} dimensions. */
  public static IdxArray read(Path file, int dimensions) throws IOException {
    long fileSize = Files.size(file);
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
      int magic = data.readInt();
      int expectedMagic = (UNSIGNED_BYTE << 8) | dimensions;
      if (magic != expectedMagic) {
        throw new IOException(file + ": magic number 0x" + String.format("%08x", magic) + " is not 0x"
            + String.format("%08x", expectedMagic) + " (IDX, unsigned bytes, " + dimensions + " dimensions)");
      }
      int[] dims = new int[dimensions];
      long elements = 1;
      for (int i = 0; i < dimensions; i++) {
        dims[i] = data.readInt();
        if (dims[i] < 0) {
          throw new IOException(file + ": dimension " + i + " has negative size " + dims[i]);
        }
        elements *= dims[i];
      }
      long header = 4L + 4L * dimensions;
      if (fileSize != header + elements) {
        throw new IOException(file + ": " + fileSize + " bytes, but its header announces " + header + " + "
            + elements + " (truncated or not an IDX file)");
      }
      byte[] bytes = new byte[Math.toIntExact(elements)];
      data.readFully(bytes);
      return new IdxArray(dims, bytes);
    }
  }

  /** An IDX file's content: sizes outermost first, and the bytes (read them with {@code b & 0xFF}). */
  public record IdxArray(int[] dims, byte[] data) {}
}
