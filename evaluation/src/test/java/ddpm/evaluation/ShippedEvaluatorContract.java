package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
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
import org.junit.jupiter.api.TestInstance;

/**
 * What every data set's shipped evaluator must do, on the real data the build fetched into ../data/ID: real
 * training images score near the floor with every class present and the accuracy the card states; noise
 * scores far from it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShippedEvaluatorContract {
  static final int N = 1000;
  /** The data root, where the build fetched MNIST and Fashion-MNIST; tests run in the module's folder. */
  static final Path DATA = Path.of("..", Datasets.DEFAULT_ROOT);

  private final ReferenceDataset dataset;
  private final double minClassFraction;
  private final double maxClassFraction;
  SampleEvaluator evaluator;
  LabelledSplit train;

  /** Each class of 1,000 real training images must make up between the two fractions of them. */
  ShippedEvaluatorContract(ReferenceDataset dataset, double minClassFraction, double maxClassFraction) {
    this.dataset = dataset;
    this.minClassFraction = minClassFraction;
    this.maxClassFraction = maxClassFraction;
  }

  @BeforeAll
  void load() throws IOException {
    train = LabelledSplit.load(dataset, DATA, Split.TRAIN);
    evaluator = SampleEvaluator.withShippedClassifier(dataset, DATA);
  }

  @AfterAll
  void close() {
    evaluator.close();
  }

  @Test
  void realTrainingImagesScoreNearTheFloorWithEveryClass() throws IOException {
    EvaluationReport report = evaluator.evaluate(train.images().sample(N, 12345), 0);
    assertEquals(dataset.id(), report.dataset());
    assertEquals(10_000, report.referenceImages());
    assertEquals(ShippedClassifier.card(dataset).testAccuracy(), report.classifierTestAccuracy(), 0.001);
    assertTrue(report.ratio() < 1.5, "ratio " + report.ratio());
    assertEquals(N, Arrays.stream(report.classHistogram()).sum());
    for (double fraction : report.classFractions()) {
      assertTrue(fraction > minClassFraction && fraction < maxClassFraction,
          "fractions " + Arrays.toString(report.classFractions()));
    }
  }

  @Test
  void uniformNoiseScoresFarFromTheFloor() {
    byte[] pixels = new byte[N * LabelledSplit.SIDE * LabelledSplit.SIDE];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    EvaluationReport report = evaluator.evaluate(new Images(N, LabelledSplit.SIDE, LabelledSplit.SIDE, pixels), 0);
    assertTrue(report.ratio() > 50, "ratio " + report.ratio());
  }
}
