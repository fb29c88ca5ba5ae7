package ddpm.evaluation.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Generated images in an .npz file as improved-diffusion and {@code ddpm sample} write them: the array
 * {@code arr_0}, uint8, shaped [N, H, W, 1] or [N, H, W].
 */
public final class SampleFile {
  public static final String KEY = "arr_0";

  private SampleFile() {}

  /** The images of {@code file}, which must be {@code height}×{@code width} and grey; errors name the file. */
  public static Images read(Path file, int height, int width) throws IOException {
    NpyArray array = readArray(file);
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

  /**
   * The images of every file, in the order given: lets one set of samples be drawn in parts (for example the
   * requests {@code ddpm sample --n N --seed S} makes, each run alone with seeds S, S+1, …) and scored as a whole.
   */
  public static Images readAll(List<Path> files, int height, int width) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no sample files given");
    }
    List<Images> parts = new ArrayList<>();
    for (Path file : files) {
      parts.add(read(file, height, width));
    }
    return Images.concat(parts);
  }

  private static NpyArray readArray(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file + ": no such file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry(KEY + ".npy");
      if (entry == null) {
        throw new IOException(file + ": no array " + KEY + " (it holds "
            + Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList() + ")");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return NpyArray.read(in, file + ":" + entry.getName());
      }
    } catch (ZipException e) {
      throw new IOException(file + ": not an .npz (zip) file: " + e.getMessage(), e);
    }
  }
}
