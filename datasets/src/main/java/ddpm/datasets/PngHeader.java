package ddpm.datasets;

import java.nio.file.Path;

/** What a PNG's header says: its size and how many channels it trains with (grey 1, colour 3). */
record PngHeader(Path file, int width, int height, int channels) {

  boolean sameFormat(PngHeader other) {
    return width == other.width && height == other.height && channels == other.channels;
  }

  /** For messages: "28×32 grayscale" (width × height). */
  String describe() {
    return width + "×" + height + " " + (channels == 1 ? "grayscale" : "RGB");
  }
}
