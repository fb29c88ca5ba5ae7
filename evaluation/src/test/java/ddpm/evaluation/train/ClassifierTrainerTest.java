package ddpm.evaluation.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Split;
import ddpm.evaluation.classifier.ImageClassifier;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.testing.Slow;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;

/** The training and export path on a few real images: the full run takes minutes and is not a unit test. */
@Slow
class ClassifierTrainerTest {
  private static final int N = 256;

  @Test
  void exportsTheNetworkAloneWithTheServingSignature(@TempDir Path dir) throws Exception {
    LabelledSplit all = LabelledSplit.load(ReferenceDataset.MNIST, Path.of("../data"), Split.TEST);
    Images images = all.images();
    LabelledSplit few = new LabelledSplit(
        new Images(N, images.height(), images.width(), Arrays.copyOf(images.pixels(), N * images.imageSize())),
        Arrays.copyOf(all.labels(), N));
    double[] losses = new double[2];
    ClassifierTrainer.train(few, new TrainingSettings(2, 64, 1e-3, 7), dir.resolve("weights"),
        (epoch, loss) -> losses[epoch - 1] = loss);
    assertTrue(losses[1] < losses[0], "mean loss per epoch " + Arrays.toString(losses));
    Path model = dir.resolve("model");
    ClassifierExport.export(dir.resolve("weights"), model);

    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), SavedModelBundle.DEFAULT_TAG)) {
      bundle.graph().operations().forEachRemaining(op ->
          assertFalse(op.name().toLowerCase(Locale.ROOT).contains("adam"), op.name() + " was exported"));
    }
    try (ImageClassifier classifier = ImageClassifier.load(model)) {
      ImageClassifier.Outputs outputs = classifier.classify(few.images());
      assertEquals(128, outputs.featureDimensions());
      assertEquals(N * 128, outputs.features().length);
      for (int i = 0; i < N; i++) {
        double sum = 0;
        for (int c = 0; c < 10; c++) {
          sum += outputs.probabilities().values()[i * 10 + c];
        }
        assertEquals(1, sum, 1e-5, "probabilities of image " + i);
      }
    }
  }
}
