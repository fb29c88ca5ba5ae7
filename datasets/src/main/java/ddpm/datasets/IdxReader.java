package ddpm.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format): a magic number 0x0000_08_NN, where NN is the
 * number of dimensions, then NN big-endian int32 sizes, then the bytes in row-major order. Gzipped files
 * (as Fashion-MNIST ships) are read too, recognised by gzip's magic bytes rather than by their name.
 * {@link #dims} reads the header alone, for checks that must stay cheap.
 */
final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /** The dimensions and bytes of {@code file}; fails unless it holds exactly {@code dimensions} dimensions. */
  static IdxArray read(Path file, int dimensions) throws IOException {
    return reading(file, (in, data) -> {
      int[] dims = header(file, data, dimensions);
      return new IdxArray(dims, values(file, data, (int) elements(dims)));
    });
  }

  /**
   * The dimensions {@code file}'s header announces. A plain file's length must agree with them; a gzipped one's
   * cannot be known without inflating all of it, so only its header is checked.
   */
  static int[] dims(Path file, int dimensions) throws IOException {
    return reading(file, (in, data) -> {
      int[] dims = header(file, data, dimensions);
      if (!(in instanceof GZIPInputStream)) {
        long values = Files.size(file) - Integer.BYTES * (1L + dimensions);
        if (values < elements(dims)) {
          throw truncated(file, values, elements(dims));
        }
        if (values > elements(dims)) {
          throw tooLong(file, elements(dims));
        }
      }
      return dims;
    });
  }

  private interface Reading<T> {
    T apply(InputStream in, DataInputStream data) throws IOException;
  }

  private static <T> T reading(Path file, Reading<T> reading) throws IOException {
    try (InputStream in = open(file)) {
      return reading.apply(in, new DataInputStream(in));
    } catch (EOFException e) {
      throw new IOException(file + ": ends early (truncated, or not an IDX file)", e);
    } catch (ZipException e) {
      throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    in.mark(2);
    boolean gzip = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
    in.reset();
    if (!gzip) {
      return in;
    }
    try {
      return new GZIPInputStream(in, BUFFER);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private static int[] header(Path file, DataInputStream data, int dimensions) throws IOException {
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
      if (elements > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": announces more values than one array can hold");
      }
    }
    return dims;
  }

  private static byte[] values(Path file, DataInputStream data, int elements) throws IOException {
    byte[] bytes = new byte[elements];
    int read = data.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw truncated(file, read, elements);
    }
    if (data.read() != -1) {
      throw tooLong(file, elements);
    }
    return bytes;
  }

  private static long elements(int[] dims) {
    long elements = 1;
    for (int d : dims) {
      elements *= d;
    }
    return elements;
  }

  private static IOException truncated(Path file, long values, long elements) {
    return new IOException(file + ": holds " + values + " of the " + elements
        + " values its header announces (truncated)");
  }

  private static IOException tooLong(Path file, long elements) {
    return new IOException(file + ": holds more than the " + elements
        + " values its header announces (not an IDX file of this shape)");
  }

  /** An IDX file's content: sizes outermost first, and the bytes (read them with {@code b & 0xFF}). */
  record IdxArray(int[] dims, byte[] data) {}
}
