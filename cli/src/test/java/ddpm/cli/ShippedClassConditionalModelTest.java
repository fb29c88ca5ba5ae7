package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.evaluation.classifier.ImageClassifier;
import ddpm.evaluation.core.Probabilities;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.evaluation.data.SampleFile;
import ddpm.evaluation.data.SampleSet;
import ddpm.testing.Slow;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped class-conditional model draws the digits it is asked for, through the whole embedded suite
 * (sampler, guidance, denoiser feeding y), judged by the shipped MNIST classifier: a model, sampler or
 * denoiser that lost the labels would score about one in ten.
 */
@Slow
class ShippedClassConditionalModelTest {
  private static final Path MODELS = Path.of("..", "models");

  @TempDir Path dir;

  @Test
  void guidedSamplesOfEveryDigitAreThatDigit() throws Exception {
    CommandRun run = CommandRun.of("sample", "--models", MODELS.toString(), "--model", "mnist-cond:4",
        "--per-class", "3", "--guidance", "1", "--sampler", "ddim", "--steps", "20", "--seed", "0",
        "--out", dir.resolve("s").toString(), "--data", dir.resolve("data").toString(),
        "--work", dir.resolve("work").toString());
    assertEquals(0, run.exitCode(), run.err());

    SampleSet samples = SampleFile.read(dir.resolve("s.npz"), 28, 28);
    int[] asked = IntStream.range(0, 30).map(i -> i / 3).toArray();
    assertArrayEquals(asked, samples.requestedClasses());
    try (ImageClassifier classifier = ImageClassifier.shipped(ReferenceDataset.MNIST)) {
      Probabilities probabilities = classifier.classify(samples.images()).probabilities();
      double accuracy = probabilities.accuracy(asked);
      assertTrue(accuracy >= 0.9, "requested-class accuracy " + accuracy);
    }
  }
}
