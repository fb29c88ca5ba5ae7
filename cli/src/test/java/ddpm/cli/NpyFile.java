package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads one array back from an .npz the way NumPy would, so tests check the file and not our writer's intent. */
record NpyFile(String descr, long[] shape, byte[] data) {
  private static final Pattern DESCR = Pattern.compile("'descr': '([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape': \\(([^)]*)\\)");

  static NpyFile read(Path npz, String key) throws IOException {
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      ZipEntry entry = zip.getEntry(key + ".npy");
      assertNotNull(entry, npz + " has no " + key + ".npy");
      try (InputStream in = zip.getInputStream(entry)) {
        byte[] bytes = in.readAllBytes();
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data must start 64-byte aligned");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        assertEquals(true, d.find() && s.find(), header);
        long[] shape = Arrays.stream(s.group(1).split(","))
            .map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        return new NpyFile(d.group(1), shape, Arrays.copyOfRange(bytes, 10 + headerLength, bytes.length));
      }
    }
  }
}
