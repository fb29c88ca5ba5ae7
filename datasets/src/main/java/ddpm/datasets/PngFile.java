package ddpm.datasets;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;

/**
 * Reads one PNG as 8-bit samples. Grey (any bit depth, with or without alpha) gives C = 1; RGB, RGBA and
 * palette images give C = 3, palette entries looked up. Alpha must be opaque: the model has no use for it,
 * and dropping real transparency would silently change the pictures. Exceptions' messages say what is wrong
 * but not the file name, which the caller puts in front.
 */
final class PngFile {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** The empty IEND chunk every complete PNG ends with: length 0, type, CRC. */
  private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
  private static final String PNG_METADATA = "javax_imageio_png_1.0";

  private PngFile() {}

  /** Reads the signature, the header chunks and the last bytes only: cheap enough for a whole folder. */
  static PngHeader header(Path file) throws IOException {
    checkEnds(file);
    return withReader(file, reader -> new PngHeader(file, reader.getWidth(0), reader.getHeight(0), channels(reader)));
  }

  /** The image's samples in H, W, C order, C = {@code header.channels()}. */
  static byte[] pixels(PngHeader header) throws IOException {
    BufferedImage image = withReader(header.file(), reader -> reader.read(0));
    int width = image.getWidth();
    int height = image.getHeight();
    if (width != header.width() || height != header.height()) {
      throw new IOException("changed while being read: now " + width + "×" + height + ", was " + header.describe());
    }
    int channels = header.channels();
    int bands = image.getRaster().getNumBands();
    int[] samples = image.getRaster().getPixels(0, 0, width, height, (int[]) null);
    byte[] pixels = new byte[width * height * channels];
    ColorModel colors = image.getColorModel();
    for (int p = 0; p < width * height; p++) {
      int[] rgba = colors instanceof IndexColorModel palette
          ? lookUp(palette, samples[p])
          : scaled(colors, samples, p * bands, bands);
      if (rgba[3] != 255) {
        throw new IOException("transparent pixels (alpha " + rgba[3] + " at x=" + p % width + ", y=" + p / width
            + "); flatten the images onto a background first");
      }
      for (int c = 0; c < channels; c++) {
        pixels[p * channels + c] = (byte) rgba[c];
      }
    }
    return pixels;
  }

  /** R, G, B, A of a palette entry (or of a packed grey level, which ImageIO also gives as a palette). */
  private static int[] lookUp(IndexColorModel palette, int index) {
    return new int[] {palette.getRed(index), palette.getGreen(index), palette.getBlue(index), palette.getAlpha(index)};
  }

  /** The raw samples at {@code offset}, brought to 8 bits; grey fills the first slot; alpha last, 255 if none. */
  private static int[] scaled(ColorModel colors, int[] samples, int offset, int bands) {
    int[] rgba = {0, 0, 0, 255};
    int colorBands = colors.getNumColorComponents();
    for (int b = 0; b < bands; b++) {
      int max = (1 << colors.getComponentSize(b)) - 1;
      int value = max == 255 ? samples[offset + b] : (int) Math.round(samples[offset + b] * 255.0 / max);
      rgba[b < colorBands ? b : 3] = value;
    }
    return rgba;
  }

  private static int channels(ImageReader reader) throws IOException {
    Element root = (Element) reader.getImageMetadata(0).getAsTree(PNG_METADATA);
    String colorType = ((Element) root.getElementsByTagName("IHDR").item(0)).getAttribute("colorType");
    return switch (colorType) {
      case "Grayscale", "GrayAlpha" -> 1;
      case "RGB", "RGBAlpha", "Palette" -> 3;
      default -> throw new IOException("unknown PNG colour type " + colorType);
    };
  }

  /** Catches non-PNGs and truncated copies before any decoding. */
  private static void checkEnds(Path file) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      if (channel.size() < SIGNATURE.length + IEND.length) {
        throw new IOException("too short to be a PNG (" + channel.size() + " bytes)");
      }
      if (!Arrays.equals(readAt(channel, 0, SIGNATURE.length), SIGNATURE)) {
        throw new IOException("not a PNG (no PNG signature)");
      }
      if (!Arrays.equals(readAt(channel, channel.size() - IEND.length, IEND.length), IEND)) {
        throw new IOException("truncated (no IEND chunk at the end)");
      }
    }
  }

  private static byte[] readAt(SeekableByteChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    channel.position(position);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("ends early");
      }
    }
    return buffer.array();
  }

  private interface ReaderCall<T> {
    T apply(ImageReader reader) throws IOException;
  }

  private static <T> T withReader(Path file, ReaderCall<T> call) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
      reader.setInput(in, true, false);
      return call.apply(reader);
    } finally {
      reader.dispose();
    }
  }
}
