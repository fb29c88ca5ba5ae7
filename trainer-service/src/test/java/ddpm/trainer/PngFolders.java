package ddpm.trainer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** A user's "folder:" data set for trainer tests: 8×8 grey PNGs, the digits' shape, of seeded noise. */
public final class PngFolders {
  private PngFolders() {}

  /** Writes each of {@code files} ("a.png", or "3/a.png" for a class folder) under {@code folder}. */
  public static void write(Path folder, String... files) throws IOException {
    SplittableRandom random = new SplittableRandom(files.length);
    for (String file : files) {
      BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setPixels(0, 0, 8, 8, random.ints(64, 0, 256).toArray());
      Path path = folder.resolve(file);
      Files.createDirectories(path.getParent());
      ImageIO.write(image, "png", path.toFile());
    }
  }
}
