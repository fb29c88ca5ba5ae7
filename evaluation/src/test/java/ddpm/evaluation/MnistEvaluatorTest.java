package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.ReferenceDataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The shipped MNIST classifier on real MNIST, beyond what every data set's must do. */
class MnistEvaluatorTest extends ShippedEvaluatorContract {
  MnistEvaluatorTest() {
    // MNIST's classes each hold 9–11 % of the images; 1,000 draws add about ±1 % of noise.
    super(ReferenceDataset.MNIST, 0.07, 0.14);
  }

  @Test
  void theClassifierIsAccurateAndSureOfRealDigits() {
    EvaluationReport report = evaluator.evaluate(train.images().sample(N, 1), 0);
    assertTrue(report.classifierTestAccuracy() >= 0.98, "test accuracy " + report.classifierTestAccuracy());
    assertTrue(report.meanConfidence() > 0.97, "mean confidence " + report.meanConfidence());
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
