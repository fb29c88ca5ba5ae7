package ddpm.evaluation.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One array in NumPy's .npy format (versions 1–3): the magic "\x93NUMPY", a version, a little-endian header
 * length (2 bytes in version 1, 4 after), a Python dict literal with descr, fortran_order and shape, then
 * the raw elements.
 *
 * @param descr the dtype string, e.g. {@code |u1} for uint8 or {@code <f4} for little-endian float32
 * @param data the elements' bytes, exactly as stored
 */
public record NpyArray(String descr, boolean fortranOrder, long[] shape, byte[] data) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** {@code source} names the stream in error messages. */
  public static NpyArray read(InputStream in, String source) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException(source + ": not a .npy array (no \\x93NUMPY magic)");
    }
    int major = bytes[6];
    if (major < 1 || major > 3) {
      throw new IOException(source + ": .npy version " + major + " is not 1, 2 or 3");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    int start = 8 + lengthBytes;
    long headerLength = 0;
    for (int i = lengthBytes - 1; i >= 0; i--) {
      headerLength = headerLength << 8 | (bytes[8 + i] & 0xFF);
    }
    if (start + headerLength > bytes.length) {
      throw new IOException(source + ": .npy header of " + headerLength + " bytes runs past the end");
    }
    String header = new String(bytes, start, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return new NpyArray(field("descr", "'([^']*)'", header, source),
        field("fortran_order", "(True|False)", header, source).equals("True"),
        shape(field("shape", "\\(([^)]*)\\)", header, source)),
        Arrays.copyOfRange(bytes, start + (int) headerLength, bytes.length));
  }

  public long elements() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The first group of {@code value} after the dict key {@code name}. */
  private static String field(String name, String value, String header, String source) throws IOException {
    Matcher m = Pattern.compile("'" + name + "'\\s*:\\s*" + value).matcher(header);
    if (!m.find()) {
      throw new IOException(source + ": .npy header lacks '" + name + "': " + header.strip());
    }
    return m.group(1);
  }

  /** "(3, 28, 28, 1)" without its parentheses; a 1-d shape keeps Python's trailing comma, "(3,)". */
  private static long[] shape(String tuple) {
    return Arrays.stream(tuple.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
  }
}
