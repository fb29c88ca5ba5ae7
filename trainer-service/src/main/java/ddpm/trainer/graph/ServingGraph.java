package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ε_θ alone in a graph of its own, its weights set to given values (the moving averages): the SavedModel the
 * trainer publishes. Exporting the training session instead would also save the raw weights and Adam's two
 * moments of every weight, four times the size, none of which a denoiser reads.
 */
public final class ServingGraph implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Signature signature;

  /** {@code weights}: a value for every variable of the network, keyed by the variable's name in the training graph. */
  ServingGraph(ImageShape imageShape, EpsNetConfig config, long seed, Map<String, float[]> weights,
      SessionThreads threads) {
    graph = new Graph();
    try {
      // The same scopes and build order as the training graph give every variable the same name.
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, seed);
      EpsNet net = EpsNet.build(params, config, imageShape);
      Placeholder<TFloat32> xt = tf.withName("x_t").placeholder(TFloat32.class, Placeholder.shape(
          Shape.of(-1, imageShape.height(), imageShape.width(), imageShape.channels())));
      Placeholder<TInt32> t = tf.withName("t").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> eps = tf.withName("eps").identity(net.apply(Pass.serving(tf, Map.of()), xt, t));
      signature = Signature.builder().key(TrainingGraph.SIGNATURE_KEY)
          .input("x_t", xt).input("t", t).output("eps", eps).build();

      Ops load = tf.withSubScope("load");
      List<Variable<TFloat32>> variables = params.all();
      List<Placeholder<TFloat32>> values = new ArrayList<>();
      List<Op> assigns = new ArrayList<>();
      for (Variable<TFloat32> v : variables) {
        Placeholder<TFloat32> value = load.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
        values.add(value);
        assigns.add(load.assign(v, value));
      }
      session = new Session(graph, threads.config());
      session.initialize();
      assign(variables, values, assigns, weights);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  private void assign(List<Variable<TFloat32>> variables, List<Placeholder<TFloat32>> values, List<Op> assigns,
      Map<String, float[]> weights) {
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < variables.size(); i++) {
        Variable<TFloat32> v = variables.get(i);
        float[] value = weights.get(v.op().name());
        if (value == null) {
          throw new IllegalStateException("no weights for variable " + v.op().name());
        }
        TFloat32 tensor = TFloat32.tensorOf(v.shape(), DataBuffers.of(value, true, false));
        tensors.add(tensor);
        runner.feed(values.get(i), tensor).addTarget(assigns.get(i));
      }
      runner.run();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Writes the SavedModel: signature "serving_default", inputs "x_t" [-1,H,W,C] and "t" [-1], output "eps". */
  public void export(Path dir) throws IOException {
    SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
