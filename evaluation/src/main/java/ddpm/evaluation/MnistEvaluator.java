package ddpm.evaluation;

import ddpm.evaluation.classifier.MnistClassifier;
import ddpm.evaluation.core.ClassBalance;
import ddpm.evaluation.core.FrechetDistance;
import ddpm.evaluation.core.GaussianStats;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.MnistSplit;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Scores generated 28×28 digits against MNIST. The reference is MNIST-test (never seen by the classifier
 * in training); the floor draws as many MNIST-train images as there are samples, because the Fréchet
 * distance between finite sets is biased upwards, more so the smaller they are. The reference's
 * statistics are computed once, so one evaluator can score many sample sets.
 */
public final class MnistEvaluator implements AutoCloseable {
  public static final String DATASET = "mnist";

  private final MnistClassifier classifier;
  private final Images train;
  private final int referenceImages;
  private final GaussianStats reference;
  private final double testAccuracy;

  public MnistEvaluator(Path mnistDir, MnistClassifier classifier) {
    this.classifier = classifier;
    this.train = MnistSplit.load(mnistDir, MnistSplit.Part.TRAIN).images();
    MnistSplit test = MnistSplit.load(mnistDir, MnistSplit.Part.TEST);
    MnistClassifier.Outputs outputs = classifier.classify(test.images());
    this.referenceImages = test.images().count();
    this.reference = GaussianStats.of(outputs.features(), outputs.featureDimensions());
    this.testAccuracy = outputs.probabilities().accuracy(test.labels());
  }

  /** The evaluator with the classifier shipped in this module. */
  public static MnistEvaluator withShippedClassifier(Path mnistDir) throws IOException {
    MnistClassifier classifier = MnistClassifier.shipped();
    try {
      return new MnistEvaluator(mnistDir, classifier);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  /** {@code floorSeed} picks the training images of the floor. */
  public EvaluationReport evaluate(Images samples, long floorSeed) {
    int n = samples.count();
    if (n < 2 || n > train.count()) {
      throw new IllegalArgumentException("the Fréchet distance needs 2 to " + train.count() + " samples, got " + n);
    }
    MnistClassifier.Outputs generated = classifier.classify(samples);
    MnistClassifier.Outputs real = classifier.classify(train.sample(n, floorSeed));
    double distance = FrechetDistance.between(GaussianStats.of(generated.features(), generated.featureDimensions()),
        reference);
    double floor = FrechetDistance.between(GaussianStats.of(real.features(), real.featureDimensions()), reference);
    ClassBalance balance = ClassBalance.of(generated.probabilities());
    return new EvaluationReport(DATASET, n, generated.featureDimensions(), referenceImages, distance, floor,
        distance / floor, floorSeed, balance.histogram(), balance.fractions(), balance.meanConfidence(),
        testAccuracy);
  }

  @Override
  public void close() {
    classifier.close();
  }
}
