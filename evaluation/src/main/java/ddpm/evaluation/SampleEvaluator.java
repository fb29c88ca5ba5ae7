package ddpm.evaluation;

import ddpm.datasets.Split;
import ddpm.evaluation.classifier.ImageClassifier;
import ddpm.evaluation.core.ClassBalance;
import ddpm.evaluation.core.FrechetDistance;
import ddpm.evaluation.core.GaussianStats;
import ddpm.evaluation.core.RequestedClassScores;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.evaluation.data.SampleSet;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Scores generated 28×28 images against a {@link ReferenceDataset}. The reference is its test half (never seen
 * by the classifier in training); the floor draws as many training images as there are samples, because the
 * Fréchet distance between finite sets is biased upwards, more so the smaller they are. The reference's
 * statistics are computed once, so one evaluator can score many sample sets.
 */
public final class SampleEvaluator implements AutoCloseable {
  private final ReferenceDataset dataset;
  private final ImageClassifier classifier;
  private final Images train;
  private final int referenceImages;
  private final GaussianStats reference;
  private final double testAccuracy;

  /** {@code dataRoot}: the data root, holding the data set's files in {@code <dataRoot>/<id>/}. */
  public SampleEvaluator(ReferenceDataset dataset, Path dataRoot, ImageClassifier classifier) {
    this.dataset = dataset;
    this.classifier = classifier;
    this.train = LabelledSplit.load(dataset, dataRoot, Split.TRAIN).images();
    LabelledSplit test = LabelledSplit.load(dataset, dataRoot, Split.TEST);
    ImageClassifier.Outputs outputs = classifier.classify(test.images());
    this.referenceImages = test.images().count();
    this.reference = GaussianStats.of(outputs.features(), outputs.featureDimensions());
    this.testAccuracy = outputs.probabilities().accuracy(test.labels());
  }

  /** The evaluator with {@code dataset}'s classifier shipped in this module. */
  public static SampleEvaluator withShippedClassifier(ReferenceDataset dataset, Path dataRoot) throws IOException {
    ImageClassifier classifier = ImageClassifier.shipped(dataset);
    try {
      return new SampleEvaluator(dataset, dataRoot, classifier);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  /** {@code floorSeed} picks the training images of the floor. */
  public EvaluationReport evaluate(Images samples, long floorSeed) {
    return evaluate(new SampleSet(samples, null), floorSeed);
  }

  /** The same, and how often each sample is its requested class when the set carries requested classes. */
  public EvaluationReport evaluate(SampleSet set, long floorSeed) {
    Images samples = set.images();
    int n = samples.count();
    if (n < 2 || n > train.count()) {
      throw new IllegalArgumentException("the Fréchet distance needs 2 to " + train.count() + " samples, got " + n);
    }
    ImageClassifier.Outputs generated = classifier.classify(samples);
    ImageClassifier.Outputs real = classifier.classify(train.sample(n, floorSeed));
    double distance = FrechetDistance.between(GaussianStats.of(generated.features(), generated.featureDimensions()),
        reference);
    double floor = FrechetDistance.between(GaussianStats.of(real.features(), real.featureDimensions()), reference);
    ClassBalance balance = ClassBalance.of(generated.probabilities());
    RequestedClassScores requested = set.hasRequestedClasses()
        ? RequestedClassScores.of(generated.probabilities(), set.requestedClasses()) : null;
    return new EvaluationReport(dataset.id(), n, generated.featureDimensions(), referenceImages, distance, floor,
        distance / floor, floorSeed, balance.histogram(), balance.fractions(), balance.meanConfidence(),
        testAccuracy, requested == null ? null : requested.accuracy(),
        requested == null ? null : requested.confidence(), requested == null ? null : requested.misses());
  }

  @Override
  public void close() {
    classifier.close();
  }
}
