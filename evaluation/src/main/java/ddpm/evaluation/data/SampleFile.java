package ddpm.evaluation.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Generated images in an .npz file as improved-diffusion and {@code ddpm sample} write them: the array
 * {@code arr_0}, uint8, shaped [N, H, W, 1] or [N, H, W], and for a class-conditional model the requested
 * classes beside them as {@code arr_1}, int64 (or int32) [N].
 */
public final class SampleFile {
  public static final String KEY = "arr_0";
  public static final String LABELS_KEY = "arr_1";

  private SampleFile() {}

  /**
   * The images of {@code file}, which must be {@code height}×{@code width} and grey, with their requested classes
   * if it holds them; errors name the file.
   */
  public static SampleSet read(Path file, int height, int width) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": no such file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Images images = images(file, readArray(file, zip, KEY), height, width);
      ZipEntry labels = zip.getEntry(LABELS_KEY + ".npy");
      return new SampleSet(images, labels == null ? null
          : requestedClasses(file, readArray(file, zip, LABELS_KEY), images.count()));
    } catch (ZipException e) {
      throw new IOException(file + ": not an .npz (zip) file: " + e.getMessage(), e);
    }
  }

  private static Images images(Path file, NpyArray array, int height, int width) throws IOException {
    String wanted = "uint8 [N," + height + "," + width + ",1] or [N," + height + "," + width + "]";
    if (!array.descr().matches("[|<>=]?u1")) {
      throw new IOException(file + ": " + KEY + " has dtype '" + array.descr() + "', expected " + wanted);
    }
    if (array.fortranOrder()) {
      throw new IOException(file + ": " + KEY + " is stored in Fortran order; save it C-ordered");
    }
    long[] shape = array.shape();
    boolean rightShape = (shape.length == 3 || shape.length == 4 && shape[3] == 1)
        && shape[1] == height && shape[2] == width;
    if (!rightShape) {
      throw new IOException(file + ": " + KEY + " has shape " + Arrays.toString(shape) + ", expected " + wanted);
    }
    if (array.data().length != array.elements()) {
      throw new IOException(file + ": " + KEY + " holds " + array.data().length + " bytes, its shape "
          + Arrays.toString(shape) + " needs " + array.elements());
    }
    return new Images(Math.toIntExact(shape[0]), height, width, array.data());
  }

  /** Little-endian int64 or int32 labels, one per image. */
  private static int[] requestedClasses(Path file, NpyArray array, int images) throws IOException {
    int bytes = switch (array.descr()) {
      case "<i8" -> 8;
      case "<i4" -> 4;
      default -> throw new IOException(file + ": " + LABELS_KEY + " has dtype '" + array.descr()
          + "', expected little-endian int64 or int32 labels");
    };
    if (array.shape().length != 1 || array.shape()[0] != images) {
      throw new IOException(file + ": " + LABELS_KEY + " has shape " + Arrays.toString(array.shape())
          + ", expected one label per image of " + KEY + ": [" + images + "]");
    }
    if (array.data().length != (long) images * bytes) {
      throw new IOException(file + ": " + LABELS_KEY + " holds " + array.data().length + " bytes, its shape ["
          + images + "] needs " + (long) images * bytes);
    }
    ByteBuffer data = ByteBuffer.wrap(array.data()).order(ByteOrder.LITTLE_ENDIAN);
    int[] labels = new int[images];
    for (int i = 0; i < images; i++) {
      long label = bytes == 8 ? data.getLong() : data.getInt();
      if (label < 0 || label > Integer.MAX_VALUE) {
        throw new IOException(file + ": " + LABELS_KEY + "[" + i + "] is " + label + ", not a class");
      }
      labels[i] = (int) label;
    }
    return labels;
  }

  /**
   * The images of every file, in the order given: lets one set of samples be drawn in parts (for example the
   * requests {@code ddpm sample --n N --seed S} makes, each run alone with seeds S, S+1, …) and scored as a whole.
   */
  public static SampleSet readAll(List<Path> files, int height, int width) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no sample files given");
    }
    List<SampleSet> parts = new ArrayList<>();
    for (Path file : files) {
      SampleSet part = read(file, height, width);
      if (!parts.isEmpty() && part.hasRequestedClasses() != parts.get(0).hasRequestedClasses()) {
        Path labelled = part.hasRequestedClasses() ? file : files.get(0);
        Path unlabelled = part.hasRequestedClasses() ? files.get(0) : file;
        throw new IOException(labelled + " holds requested classes (" + LABELS_KEY + ") and " + unlabelled
            + " does not: score labelled and unlabelled samples separately");
      }
      parts.add(part);
    }
    Images images = Images.concat(parts.stream().map(SampleSet::images).toList());
    return new SampleSet(images, parts.get(0).hasRequestedClasses()
        ? parts.stream().flatMapToInt(part -> IntStream.of(part.requestedClasses())).toArray() : null);
  }

  private static NpyArray readArray(Path file, ZipFile zip, String key) throws IOException {
    ZipEntry entry = zip.getEntry(key + ".npy");
    if (entry == null) {
      throw new IOException(file + ": no array " + key + " (it holds "
          + Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList() + ")");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return NpyArray.read(in, file + ":" + entry.getName());
    }
  }
}
