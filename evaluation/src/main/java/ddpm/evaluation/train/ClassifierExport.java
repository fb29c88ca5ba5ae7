package ddpm.evaluation.train;

import ddpm.evaluation.classifier.ImageClassifier;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.layers.Params;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes the trained classifier as a SavedModel that holds the network alone. Exporting the training
 * session would save Adam's two moments per weight too and triple the shipped size, so a fresh graph
 * rebuilds the network under the same names and restores only its weights from the training checkpoint.
 */
final class ClassifierExport {
  private ClassifierExport() {}

  /**
   * Signature "serving_default": images float32 [−1, 28, 28, 1] → features [−1, 128], probabilities [−1, 10].
   */
  static void export(Path checkpointPrefix, Path dir) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ClassifierNet net = new ClassifierNet(new Params(tf, 0));
      Placeholder<TFloat32> images = tf.withName(ImageClassifier.INPUT).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, LabelledSplit.SIDE, LabelledSplit.SIDE, 1)));
      ClassifierNet.Outputs outputs = net.apply(images);
      Operand<TFloat32> features = tf.withName(ImageClassifier.FEATURES).identity(outputs.features());
      Operand<TFloat32> probabilities = tf.withName(ImageClassifier.PROBABILITIES).nn.softmax(outputs.logits());
      try (Session session = new Session(graph)) {
        session.restore(checkpointPrefix.toString());
        SavedModelBundle.exporter(dir.toString()).withSession(session)
            .withSignature(Signature.builder().key(ImageClassifier.SIGNATURE).input(ImageClassifier.INPUT, images)
                .output(ImageClassifier.FEATURES, features).output(ImageClassifier.PROBABILITIES, probabilities)
                .build())
            .export();
      }
    }
  }
}
