package ddpm.evaluation.train;

import ddpm.evaluation.data.LabelledSplit;
import ddpm.layers.Adam;
import ddpm.layers.Params;
import ddpm.tensorflow.TensorFlowRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The classifier with its loss (mean softmax cross-entropy) and Adam in one graph and session. The
 * network sits in the root scope so that {@link ClassifierExport} can rebuild it under the same names.
 */
final class ClassifierTrainingGraph implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Operand<TFloat32> loss;
  private final Placeholder<TFloat32> stepInput;
  private final Placeholder<TFloat32> learningRateInput;
  private final List<ApplyAdam<TFloat32>> updates;

  ClassifierTrainingGraph(long seed) {
    TensorFlowRuntime.init();
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, seed);
      ClassifierNet net = new ClassifierNet(params);
      Adam adam = new Adam(params);
      Ops train = tf.withSubScope("train");
      images = train.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, LabelledSplit.SIDE, LabelledSplit.SIDE, 1)));
      labels = train.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      // Cross-entropy as −Σ onehot·log_softmax: TF's C++ gradient registry has no
      // SparseSoftmaxCrossEntropyWithLogits.
      Operand<TFloat32> oneHot =
          tf.oneHot(labels, tf.constant(ClassifierNet.CLASSES), tf.constant(1f), tf.constant(0f));
      Operand<TFloat32> logProbabilities = tf.nn.logSoftmax(net.apply(images).logits());
      Operand<TFloat32> perImage = tf.math.neg(tf.sum(tf.math.mul(oneHot, logProbabilities), tf.constant(1)));
      loss = train.withName("loss").math.mean(perImage, tf.constant(0), Mean.keepDims(false));
      Gradients gradients = tf.gradients(loss, params.trainable());
      List<Operand<TFloat32>> perVariable = new ArrayList<>();
      for (int i = 0; i < params.trainable().size(); i++) {
        perVariable.add(gradients.dy(i));
      }
      stepInput = train.withName("adam_step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      learningRateInput = train.withName("adam_learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      updates = adam.updates(perVariable, learningRateInput, stepInput);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
    session = new Session(graph);
    try {
      session.initialize();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** One Adam step of 1-based number {@code step}; {@code batch} holds labels.length images in [−1, 1]. */
  float trainStep(float[] batch, int[] batchLabels, int step, double learningRate) {
    Shape shape = Shape.of(batchLabels.length, LabelledSplit.SIDE, LabelledSplit.SIDE, 1);
    try (TFloat32 imageTensor = TFloat32.tensorOf(shape, DataBuffers.of(batch, true, false));
        TInt32 labelTensor = TInt32.tensorOf(Shape.of(batchLabels.length), DataBuffers.of(batchLabels, true, false));
        TFloat32 stepTensor = TFloat32.scalarOf(step);
        TFloat32 rateTensor = TFloat32.scalarOf((float) learningRate)) {
      Session.Runner runner = session.runner().feed(images, imageTensor).feed(labels, labelTensor)
          .feed(stepInput, stepTensor).feed(learningRateInput, rateTensor).fetch(loss);
      updates.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  /** Writes every variable, Adam's moments included, as a checkpoint with this path prefix. */
  void saveVariables(Path prefix) {
    session.save(prefix.toString());
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
