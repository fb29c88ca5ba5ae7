package ddpm.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST and Fashion-MNIST, which the build fetches into <repo>/data/ before the tests run
 * (datasets/pom.xml runs the fetch scripts); tests run in the module's folder.
 */
class RealMnistTest {
  private static final Datasets DATA = new Datasets(Path.of("..", Datasets.DEFAULT_ROOT));

  @Test
  void mnistTrainHolds60000ImagesOf28By28UsingEveryGreyLevel() {
    DatasetSource mnist = DATA.source("mnist");
    assertEquals(new ImageShape(28, 28, 1), mnist.inspect(Split.TRAIN));
    ImageSet train = mnist.load(Split.TRAIN);
    assertEquals(60_000, train.count());
    assertEquals(new ImageShape(28, 28, 1), train.shape());
    byte[] pixels = train.pixels();
    assertEquals(256, IntStream.range(0, pixels.length).map(i -> pixels[i] & 0xFF).distinct().count());
    assertEquals(5, train.labels()[0], "the first training label is the canonical five");
  }

  @Test
  void mnistTestHoldsThePublishedClassCounts() {
    int[] counts = classCounts(DATA.source("mnist").load(Split.TEST));
    assertEquals(980, counts[0]);
    assertEquals(1009, counts[9]);
  }

  @Test
  void fashionMnistTestHoldsExactly1000OfEachGarment() {
    ImageSet test = DATA.source("fashion-mnist").load(Split.TEST);
    assertEquals(10_000, test.count());
    for (int count : classCounts(test)) {
      assertEquals(1000, count);
    }
  }

  private static int[] classCounts(ImageSet set) {
    int[] counts = new int[10];
    for (int label : set.labels()) {
      counts[label]++;
    }
    return counts;
  }
}
