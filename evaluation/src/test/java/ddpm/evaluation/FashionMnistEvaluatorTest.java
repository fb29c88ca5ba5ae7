package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.evaluation.classifier.ShippedClassifier;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped Fashion-MNIST classifier on real Fashion-MNIST (fetched by the build before the tests). */
class FashionMnistEvaluatorTest {
  private static final Path FASHION_MNIST = Path.of("../data/fashion-mnist");
  private static final int N = 1000;
  private static SampleEvaluator evaluator;
  private static LabelledSplit train;

  @BeforeAll
  static void load() throws IOException {
    evaluator = SampleEvaluator.withShippedClassifier(ReferenceDataset.FASHION_MNIST, FASHION_MNIST);
    train = LabelledSplit.load(ReferenceDataset.FASHION_MNIST, FASHION_MNIST, LabelledSplit.Part.TRAIN);
  }

  @AfterAll
  static void close() {
    evaluator.close();
  }

  @Test
  void realTrainingImagesScoreNearTheFloorWithEveryGarment() throws IOException {
    EvaluationReport report = evaluator.evaluate(train.images().sample(N, 12345), 0);
    assertEquals("fashion-mnist", report.dataset());
    assertEquals(ShippedClassifier.card(ReferenceDataset.FASHION_MNIST).testAccuracy(),
        report.classifierTestAccuracy(), 0.001);
    assertTrue(report.ratio() < 1.5, "ratio " + report.ratio());
    for (double fraction : report.classFractions()) {
      // Each garment is 10 % of Fashion-MNIST; the classifier confuses shirts, pullovers and coats a little.
      assertTrue(fraction > 0.05 && fraction < 0.16, "fractions " + Arrays.toString(report.classFractions()));
    }
  }

  @Test
  void uniformNoiseScoresFarFromTheFloor() {
    byte[] pixels = new byte[N * 28 * 28];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    EvaluationReport report = evaluator.evaluate(new Images(N, 28, 28, pixels), 0);
    assertTrue(report.ratio() > 50, "ratio " + report.ratio());
  }

  @Test
  void mnistDigitsAreFarFromFashionMnist() {
    LabelledSplit digits = LabelledSplit.load(ReferenceDataset.MNIST, Path.of("../data/mnist"), LabelledSplit.Part.TEST);
    EvaluationReport report = evaluator.evaluate(digits.images().sample(N, 1), 0);
    assertTrue(report.ratio() > 30, "ratio " + report.ratio());
  }
}
