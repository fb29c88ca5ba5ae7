package ddpm.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.datasets.Split;
import ddpm.evaluation.core.RequestedClassScores;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.NpzWriter;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.evaluation.data.SampleFile;
import ddpm.evaluation.data.SampleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertFalse(json.has("requested_class_accuracy"), "samples without labels: " + json);
    assertFalse(json.has("requested_class_confidence"), "samples without labels: " + json);
    assertFalse(json.has("requested_class_misses"), "samples without labels: " + json);
    assertEquals(10, json.getAsJsonArray("class_histogram").size());
    assertEquals(128, json.get("feature_dimensions").getAsInt());
  }

  @Test
  void realTestDigitsRequestedAsTheirTrueClassesScoreTheClassifiersOwnAccuracy(@TempDir Path dir)
      throws IOException {
    LabelledSplit test = LabelledSplit.load(ReferenceDataset.MNIST, DATA, Split.TEST);
    int[] labels = Arrays.copyOf(test.labels(), N);
    Path file = writeLabelled(dir.resolve("true.npz"), test, labels);

    EvaluationReport report = evaluator.evaluate(SampleFile.readAll(List.of(file), 28, 28), 0);

    assertEquals(report.classifierTestAccuracy(), report.requestedClassAccuracy().overall(), 0.015);
    assertEquals(10, report.requestedClassAccuracy().perClass().size());
    report.requestedClassAccuracy().perClass().forEach((k, accuracy) ->
        assertTrue(accuracy > 0.95, "class " + k + ": " + accuracy));
    assertTrue(report.requestedClassConfidence().overall() > 0.97, "" + report.requestedClassConfidence());
    JsonObject json = JsonParser.parseString(report.toJson()).getAsJsonObject();
    assertEquals(report.requestedClassAccuracy().perClass().get(3),
        json.getAsJsonObject("requested_class_accuracy").getAsJsonObject("per_class").get("3").getAsDouble());
    assertEquals(report.requestedClassConfidence().overall(),
        json.getAsJsonObject("requested_class_confidence").get("overall").getAsDouble());
  }

  @Test
  void realTestDigitsRequestedAsTheWrongClassesScoreNearZero(@TempDir Path dir) throws IOException {
    LabelledSplit test = LabelledSplit.load(ReferenceDataset.MNIST, DATA, Split.TEST);
    int[] wrong = new int[N];
    Arrays.setAll(wrong, i -> (test.labels()[i] + 1) % 10);
    Path file = writeLabelled(dir.resolve("wrong.npz"), test, wrong);

    SampleSet set = SampleFile.readAll(List.of(file), 28, 28);
    EvaluationReport report = evaluator.evaluate(set, 0);

    assertTrue(report.requestedClassAccuracy().overall() < 0.02, "" + report.requestedClassAccuracy());
    assertEquals(Math.round(N * (1 - report.requestedClassAccuracy().overall())), report.requestedClassMisses().size());
    for (RequestedClassScores.Miss miss : report.requestedClassMisses()) {
      assertEquals(wrong[miss.sample()], miss.requested(), "" + miss);
    }
    assertTrue(report.requestedClassMisses().stream().filter(miss -> miss.predicted() == test.labels()[miss.sample()])
        .count() > 0.97 * N, "most wrong requests are seen as the digit they show");
    JsonObject firstMiss = JsonParser.parseString(report.toJson()).getAsJsonObject()
        .getAsJsonArray("requested_class_misses").get(0).getAsJsonObject();
    assertEquals(report.requestedClassMisses().get(0).sample(), firstMiss.get("sample").getAsInt());
    assertEquals(report.requestedClassMisses().get(0).predicted(), firstMiss.get("predicted").getAsInt());
    assertTrue(report.requestedClassConfidence().overall() < 0.03, "" + report.requestedClassConfidence());
    double unlabelled = evaluator.evaluate(set.images(), 0).frechetDistance();
    // Equal up to TensorFlow's float rounding: the labels change no other figure.
    assertEquals(unlabelled, report.frechetDistance(), 1e-6 * unlabelled);
  }

  /** The first labels.length images of {@code split} with {@code labels}, as ddpm sample writes labelled samples. */
  private static Path writeLabelled(Path file, LabelledSplit split, int[] labels) throws IOException {
    byte[] pixels = Arrays.copyOf(split.images().pixels(), labels.length * 28 * 28);
    NpzWriter.writeLabelled(file, labels.length, 28, 28, pixels, labels);
    return file;
  }

  @Test
  void refusesFewerThanTwoSamples() {
    assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(train.images().sample(1, 0), 0));
  }
}
