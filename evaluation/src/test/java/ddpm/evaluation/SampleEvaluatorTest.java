package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

/** The shipped classifier on real MNIST (fetched by the build before the tests). */
class SampleEvaluatorTest {
  private static final Path MNIST = Path.of("../data/mnist");
  private static final int N = 1000;
  private static SampleEvaluator evaluator;
  private static LabelledSplit train;

  @BeforeAll
  static void load() throws IOException {
    evaluator = SampleEvaluator.withShippedClassifier(ReferenceDataset.MNIST, MNIST);
    train = LabelledSplit.load(ReferenceDataset.MNIST, MNIST, LabelledSplit.Part.TRAIN);
  }

  @AfterAll
  static void close() {
    evaluator.close();
  }

  @Test
  void shippedClassifierIsAccurateOnMnistTestAsItsCardSays() throws IOException {
    EvaluationReport report = evaluator.evaluate(train.images().sample(N, 1), 0);
    assertTrue(report.classifierTestAccuracy() >= 0.98, "test accuracy " + report.classifierTestAccuracy());
    assertEquals(ShippedClassifier.card(ReferenceDataset.MNIST).testAccuracy(), report.classifierTestAccuracy(), 0.001);
    assertEquals(10_000, report.referenceImages());
  }

  @Test
  void realTrainingImagesScoreNearTheFloorWithBalancedClasses() {
    EvaluationReport report = evaluator.evaluate(train.images().sample(N, 12345), 0);
    assertTrue(report.ratio() < 1.5, "ratio " + report.ratio());
    assertEquals(N, Arrays.stream(report.classHistogram()).sum());
    for (double fraction : report.classFractions()) {
      // MNIST's classes each hold 9–11 % of the images; 1,000 draws add about ±1 % of noise.
      assertTrue(fraction > 0.07 && fraction < 0.14, "fractions " + Arrays.toString(report.classFractions()));
    }
    assertTrue(report.meanConfidence() > 0.97, "mean confidence " + report.meanConfidence());
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
  void aGeneratorThatDrawsOnlyOneDigitShowsInTheHistogramAndTheDistance() {
    int[] ones = new int[N];
    int found = 0;
    for (int i = 0; found < N; i++) {
      if (train.labels()[i] == 1) {
        ones[found++] = i;
      }
    }
    byte[] pixels = new byte[N * 28 * 28];
    for (int i = 0; i < N; i++) {
      System.arraycopy(train.images().pixels(), ones[i] * 28 * 28, pixels, i * 28 * 28, 28 * 28);
    }
    EvaluationReport report = evaluator.evaluate(new Images(N, 28, 28, pixels), 0);
    assertTrue(report.classFractions()[1] > 0.98, "fractions " + Arrays.toString(report.classFractions()));
    assertTrue(report.ratio() > 50, "ratio " + report.ratio());
  }

  @Test
  void theFloorDependsOnlyOnItsSeed() {
    Images samples = train.images().sample(200, 3);
    double floor = evaluator.evaluate(samples, 5).floor();
    // Equal up to TensorFlow's float rounding: the same images are drawn, and other seeds draw others.
    assertEquals(floor, evaluator.evaluate(samples, 5).floor(), 1e-6 * floor);
    assertTrue(Math.abs(evaluator.evaluate(samples, 6).floor() - floor) > 1e-3 * floor);
  }

  @Test
  void jsonNamesEveryFigureInSnakeCase() {
    JsonObject json = JsonParser.parseString(evaluator.evaluate(train.images().sample(100, 4), 0).toJson())
        .getAsJsonObject();
    assertEquals("mnist", json.get("dataset").getAsString());
    for (String key : new String[] {"dataset", "samples", "feature_dimensions", "reference_images",
        "frechet_distance", "floor", "ratio", "floor_seed", "class_histogram", "class_fractions",
        "mean_confidence", "classifier_test_accuracy"}) {
      assertTrue(json.has(key), key + " missing from " + json);
    }
    assertEquals(10, json.getAsJsonArray("class_histogram").size());
    assertEquals(128, json.get("feature_dimensions").getAsInt());
  }

  @Test
  void refusesFewerThanTwoSamples() {
    assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(train.images().sample(1, 0), 0));
  }
}
