package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.layers.SessionThreads;
import ddpm.layers.VariableAssigner;
import ddpm.repository.EpsContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
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
      Placeholder<TFloat32> xt = tf.withName(EpsContract.X_T).placeholder(TFloat32.class, Placeholder.shape(
          Shape.of(-1, imageShape.height(), imageShape.width(), imageShape.channels())));
      Placeholder<TInt32> t = tf.withName(EpsContract.T).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> y = config.classConditional()
          ? tf.withName(EpsContract.Y).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1))) : null;
      Operand<TFloat32> eps =
          tf.withName(EpsContract.EPS).identity(net.apply(Pass.serving(tf, Map.of()), xt, t, y));
      Signature.Builder builder = Signature.builder().key(EpsContract.SIGNATURE_KEY)
          .input(EpsContract.X_T, xt).input(EpsContract.T, t);
      if (y != null) {
        builder.input(EpsContract.Y, y);
      }
      signature = builder.output(EpsContract.EPS, eps).build();

      VariableAssigner assigner = new VariableAssigner(tf.withSubScope("load"), params.all());
      for (String name : assigner.names()) {
        if (!weights.containsKey(name)) {
          throw new IllegalStateException("no weights for variable " + name);
        }
      }
      session = new Session(graph, threads.config());
      session.initialize();
      assigner.assign(session, weights);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Writes the SavedModel: signature "serving_default", inputs "x_t" [-1,H,W,C] and "t" [-1] (and "y" [-1] for a
   * class-conditional network), output "eps".
   */
  public void export(Path dir) throws IOException {
    SavedModelBundle.exporter(dir.toString()).withSession(session).withSignature(signature).export();
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
