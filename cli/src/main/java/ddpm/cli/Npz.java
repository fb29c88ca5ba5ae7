package ddpm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy .npz files: a zip of .npy arrays. Samples go under the key arr_0 and their class labels, when
 * they have them, under arr_1, as improved-diffusion's sample script writes them, so its evaluation tools read
 * our output unchanged.
 */
final class Npz {
  private Npz() {}

  /** One array: its key (the entry is key.npy), NumPy dtype string, raw little-endian elements and shape. */
  record Array(String key, String descr, byte[] values, long... shape) {
    static Array uint8(String key, byte[] values, long... shape) {
      return new Array(key, "|u1", values, shape);
    }

    /** int64 [values.length], NumPy's default integer type, which improved-diffusion's labels have. */
    static Array int64(String key, int[] values) {
      ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (int value : values) {
        bytes.putLong(value);
      }
      return new Array(key, "<i8", bytes.array(), values.length);
    }
  }

  /** One uint8 array {@code key} of the given shape. */
  static void writeUint8(Path file, String key, byte[] values, long... shape) throws IOException {
    write(file, Array.uint8(key, values, shape));
  }

  static void write(Path file, Array... arrays) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Array array : arrays) {
        zip.putNextEntry(new ZipEntry(array.key() + ".npy"));
        zip.write(npyHeader(array.descr(), array.shape()));
        zip.write(array.values());
        zip.closeEntry();
      }
    }
  }

  /**
   * NPY format 1.0: magic, version, a little-endian header length, then a Python dict literal padded with
   * spaces and ended by a newline so the data starts at a multiple of 64 bytes.
   */
  static byte[] npyHeader(String descr, long... shape) {
    String dims = LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    if (shape.length == 1) {
      dims += ",";
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    int preamble = 10;
    int padded = (preamble + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
    byte[] text = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[preamble + text.length];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (text.length & 0xFF);
    out[9] = (byte) (text.length >>> 8);
    System.arraycopy(text, 0, out, preamble, text.length);
    return out;
  }
}
