package ddpm.evaluation.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes .npz files byte for byte as {@code ddpm sample} does (cli's Npz): NPY 1.0, the dict
 * {@code {'descr': ..., 'fortran_order': False, 'shape': (...), }} padded with spaces and a newline so the
 * data starts 64-byte aligned.
 */
public final class NpzWriter {
  private NpzWriter() {}

  /** One array of an .npz file: its key (without .npy), dtype string, raw bytes and shape. */
  public record Array(String key, String descr, byte[] data, long... shape) {}

  static void write(Path file, String key, String descr, byte[] data, long... shape) throws IOException {
    write(file, new Array(key, descr, data, shape));
  }

  public static void write(Path file, Array... arrays) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Array array : arrays) {
        zip.putNextEntry(new ZipEntry(array.key() + ".npy"));
        zip.write(header(array.descr(), array.shape()));
        zip.write(array.data());
        zip.closeEntry();
      }
    }
  }

  /** Images as ddpm sample writes them, uint8 [N, H, W, 1] under arr_0, with their labels, int64 [N] under arr_1. */
  public static void writeLabelled(Path file, int count, int height, int width, byte[] pixels, int[] labels)
      throws IOException {
    ByteBuffer int64 = ByteBuffer.allocate(labels.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int label : labels) {
      int64.putLong(label);
    }
    write(file, new Array("arr_0", "|u1", pixels, count, height, width, 1),
        new Array("arr_1", "<i8", int64.array(), labels.length));
  }

  static byte[] header(String descr, long... shape) {
    StringBuilder dims = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      dims.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
        + (shape.length == 1 ? "," : "") + "), }";
    int total = (10 + dict.length() + 1 + 63) / 64 * 64;
    String text = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
    byte[] out = new byte[total];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    System.arraycopy(magic, 0, out, 0, magic.length);
    out[8] = (byte) (text.length() & 0xFF);
    out[9] = (byte) (text.length() >>> 8);
    System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, out, 10, text.length());
    return out;
  }
}
