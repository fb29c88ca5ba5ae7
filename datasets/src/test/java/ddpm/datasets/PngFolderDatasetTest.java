package ddpm.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of PNG a user may bring, read through the "folder:<path>" name as a training job would. */
class PngFolderDatasetTest {
  @TempDir Path root;
  private Path dir;

  @BeforeEach
  void makeTheFolder() throws IOException {
    dir = Files.createDirectories(root.resolve("own").resolve("sprites"));
  }

  @Test
  void greyImagesHaveOneChannelAndComeInNameOrder() throws IOException {
    TestPngs.gray(dir.resolve("b.png"), 3, 2, 10, 11, 12, 13, 14, 15);
    TestPngs.gray(dir.resolve("a.png"), 3, 2, 0, 255, 1, 2, 3, 4);
    ImageSet dataset = load();
    assertEquals(new ImageShape(2, 3, 1), dataset.shape());
    assertEquals("folder:own/sprites", dataset.name());
    assertPixels(dataset, 0, 255, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15);
  }

  @Test
  void rgbImagesHaveThreeChannelsInRgbOrder() throws IOException {
    TestPngs.rgb(dir.resolve("a.png"), 2, 1, 0xff8000, 0x0000ff);
    ImageSet dataset = load();
    assertEquals(new ImageShape(1, 2, 3), dataset.shape());
    assertPixels(dataset, 255, 128, 0, 0, 0, 255);
  }

  @Test
  void paletteImagesAreLookedUpAndMixWithRgb() throws IOException {
    TestPngs.palette(dir.resolve("a.png"), 2, 1, new int[] {0x102030, 0xc0ffee}, 1, 0);
    TestPngs.rgb(dir.resolve("b.png"), 2, 1, 0x010203, 0x040506);
    ImageSet dataset = load();
    assertEquals(new ImageShape(1, 2, 3), dataset.shape());
    assertPixels(dataset, 0xc0, 0xff, 0xee, 0x10, 0x20, 0x30, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void opaqueRgbaBecomesRgb() throws IOException {
    TestPngs.argb(dir.resolve("a.png"), 1, 1, 0xff336699);
    ImageSet dataset = load();
    assertEquals(new ImageShape(1, 1, 3), dataset.shape());
    assertPixels(dataset, 0x33, 0x66, 0x99);
  }

  @Test
  void greyOfAnyBitDepthIsBroughtToEightBits() throws IOException {
    BufferedImage oneBit = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    oneBit.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
    TestPngs.write(dir.resolve("a.png"), oneBit);
    BufferedImage sixteenBit = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    sixteenBit.getRaster().setPixels(0, 0, 2, 1, new int[] {65535, 128 * 257});
    TestPngs.write(dir.resolve("b.png"), sixteenBit);
    ImageSet dataset = load();
    assertEquals(new ImageShape(1, 2, 1), dataset.shape());
    assertPixels(dataset, 255, 0, 255, 128);
  }

  @Test
  void readsOnlyPngFiles() throws IOException {
    TestPngs.gray(dir.resolve("a.PNG"), 1, 1, 7);
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    assertPixels(load(), 7);
  }

  @Test
  void imagesDirectlyInTheFolderHaveNoLabels() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 7);
    ImageSet dataset = load();
    assertFalse(dataset.hasLabels());
    assertThrows(IllegalStateException.class, dataset::labels);
  }

  /** Labels are the class folders' indices in name order, whatever order the files or folders were made in. */
  @Test
  void oneSubfolderPerClassGivesLabelsInNameOrder() throws IOException {
    Path seven = Files.createDirectories(dir.resolve("seven"));
    Path one = Files.createDirectories(dir.resolve("one"));
    TestPngs.gray(seven.resolve("b.png"), 1, 1, 72);
    TestPngs.gray(seven.resolve("a.png"), 1, 1, 71);
    TestPngs.gray(one.resolve("z.png"), 1, 1, 10);
    Files.writeString(one.resolve("notes.txt"), "not an image");
    DatasetSource folder = new Datasets(root).source("folder:own/sprites");
    assertEquals(List.of("one", "seven"), folder.classNames());
    ImageSet dataset = load();
    assertPixels(dataset, 10, 71, 72);
    assertArrayEquals(new int[] {0, 1, 1}, dataset.labels());
  }

  @Test
  void aFolderOfImagesHasNoClasses() throws IOException {
    TestPngs.gray(dir.resolve("a.png"), 1, 1, 7);
    assertFalse(new Datasets(root).source("folder:own/sprites").hasLabels());
  }

  /** As a training job does: inspected when submitted, loaded when it starts. */
  private ImageSet load() {
    DatasetSource folder = new Datasets(root).source("folder:own/sprites");
    ImageShape shape = folder.inspect(Split.TRAIN);
    ImageSet dataset = folder.load(Split.TRAIN);
    assertEquals(shape, dataset.shape());
    return dataset;
  }

  private static void assertPixels(ImageSet dataset, int... pixels) {
    byte[] bytes = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      bytes[i] = (byte) pixels[i];
    }
    assertArrayEquals(bytes, dataset.pixels());
  }
}
