package ddpm.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.diffusion.ImageShape;
import ddpm.trainer.data.IdxReader.IdxArray;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST training set, which the build fetches into <repo>/data/mnist before the tests run
 * (trainer-service/pom.xml runs scripts/fetch-mnist.sh); tests run in the module's folder.
 */
class RealMnistTest {
  private static final Path MNIST = Path.of("..", "data", "mnist");

  @Test
  void holds60000ImagesOf28By28InMinusOneToOne() {
    Dataset mnist = new Datasets(MNIST).load(MnistDataset.NAME);
    assertEquals(60_000, mnist.count());
    assertEquals(new ImageShape(28, 28, 1), mnist.shape());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : mnist.images()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(-1f, min);
    assertEquals(1f, max);
  }

  @Test
  void firstTrainingLabelIsTheCanonicalFive() throws IOException {
    IdxArray labels = IdxReader.read(MNIST.resolve("train-labels-idx1-ubyte"), 1);
    assertArrayEquals(new int[] {60_000}, labels.dims());
    assertEquals(5, labels.data()[0]);
  }
}
