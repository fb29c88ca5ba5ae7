package ddpm.evaluation.classifier;

import ddpm.diffusion.Pixels;
import ddpm.evaluation.core.Probabilities;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A 10-class classifier of 28×28 grey images as a SavedModel, run with TF Java: signature "serving_default" takes
 * "images" (float32 [−1, 28, 28, 1], pixels scaled by docs/math.md §3 to [−1, 1]) and gives "features" (the
 * penultimate layer) and "probabilities" (softmax over the 10 classes: digits, or Fashion-MNIST's garments).
 */
public final class ImageClassifier implements AutoCloseable {
  public static final String SIGNATURE = "serving_default";
  public static final String INPUT = "images";
  public static final String FEATURES = "features";
  public static final String PROBABILITIES = "probabilities";
  /** Enough images per call to keep TensorFlow's kernels busy, few enough to bound the input tensor at 1.5 MB. */
  private static final int BATCH = 500;

  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int featureDimensions;
  private final int classes;

  private ImageClassifier(SavedModelBundle bundle) {
    this.bundle = bundle;
    this.function = bundle.function(SIGNATURE);
    var outputs = function.signature().getOutputs();
    this.featureDimensions = (int) outputs.get(FEATURES).shape.get(1);
    this.classes = (int) outputs.get(PROBABILITIES).shape.get(1);
  }

  public static ImageClassifier load(Path dir) {
    TensorFlowRuntime.init();
    return new ImageClassifier(SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG));
  }

  /** The classifier of {@code dataset} shipped in this module's resources (see {@link ShippedClassifier}). */
  public static ImageClassifier shipped(ReferenceDataset dataset) throws IOException {
    return ShippedClassifier.open(dataset, ImageClassifier::load);
  }

  /** What the classifier makes of a set of images, row i for image i. */
  public record Outputs(float[] features, int featureDimensions, Probabilities probabilities) {}

  public Outputs classify(Images images) {
    if (images.height() != LabelledSplit.SIDE || images.width() != LabelledSplit.SIDE || images.count() == 0) {
      throw new IllegalArgumentException("the classifier takes one or more 28×28 images, got " + images.count()
          + " of " + images.height() + "×" + images.width());
    }
    int n = images.count();
    float[] features = new float[n * featureDimensions];
    float[] probabilities = new float[n * classes];
    for (int start = 0; start < n; start += BATCH) {
      int size = Math.min(BATCH, n - start);
      byte[] pixels = Arrays.copyOfRange(images.pixels(), start * images.imageSize(),
          (start + size) * images.imageSize());
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(size, LabelledSplit.SIDE, LabelledSplit.SIDE, 1),
              DataBuffers.of(Pixels.toModel(pixels), true, false));
          Result result = function.call(Map.of(INPUT, input))) {
        copyRows(result, FEATURES, features, start, size, featureDimensions);
        copyRows(result, PROBABILITIES, probabilities, start, size, classes);
      }
    }
    return new Outputs(features, featureDimensions, new Probabilities(probabilities, classes));
  }

  private static void copyRows(Result result, String output, float[] into, int start, int size, int width) {
    TFloat32 rows = (TFloat32) result.get(output).orElseThrow();
    rows.copyTo(DataBuffers.of(into, false, false).slice((long) start * width, (long) size * width));
  }

  @Override
  public void close() {
    bundle.close();
  }
}
