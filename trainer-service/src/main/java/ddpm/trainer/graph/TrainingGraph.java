package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.tensorflow.TensorFlowRuntime;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One graph and session holding ε_θ twice over the same variables:
 *
 * <ul>
 *   <li>training (Algorithm 1): fed x0, t and ε, it forms x_t = sqrt_abar[t]·x0 + sqrt_one_minus_abar[t]·ε
 *       by gathering the scheduler's arrays (graph constants) by t, and minimises mean((ε − ε_θ(x_t, t))²)
 *       with Adam. Forming x_t here keeps the feed to the raw draws and the per-pixel arithmetic in one
 *       vectorised op instead of a Java loop over every pixel of the batch;
 *   <li>serving: fed x_t and t, it outputs ε_θ(x_t, t); this is the exported "serving_default" signature.
 * </ul>
 */
public final class TrainingGraph implements AutoCloseable {
  public static final String SIGNATURE_KEY = "serving_default";

  private final ImageShape imageShape;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> x0;
  private final Placeholder<TInt32> t;
  private final Placeholder<TFloat32> eps;
  private final Operand<TFloat32> loss;
  private final Adam adam;
  private final Placeholder<TFloat32> servingXt;
  private final Placeholder<TInt32> servingT;
  private final Operand<TFloat32> servingEps;

  /** {@code schedule} must be a full one (not respaced): t indexes it directly. The seed fixes the initial weights. */
  public TrainingGraph(ImageShape imageShape, EpsNetConfig config, NoiseSchedule schedule, double learningRate,
      long seed) {
    if (schedule.steps() != schedule.timesteps()) {
      throw new IllegalArgumentException("training needs the full schedule, got " + schedule);
    }
    this.imageShape = imageShape;
    TensorFlowRuntime.init();
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, seed);
      EpsNet net = EpsNet.build(params, config, imageShape.channels());
      Shape images = batchShape(-1);

      Ops train = tf.withSubScope("train");
      x0 = train.withName("x0").placeholder(TFloat32.class, Placeholder.shape(images));
      t = train.withName("t").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      eps = train.withName("eps").placeholder(TFloat32.class, Placeholder.shape(images));
      Operand<TFloat32> xt = tf.math.add(
          tf.math.mul(perExample(tf, schedule.sqrtAlphasCumprod()), x0),
          tf.math.mul(perExample(tf, schedule.sqrtOneMinusAlphasCumprod()), eps));
      loss = train.withName("loss").math.mean(
          tf.math.squaredDifference(eps, net.apply(xt, t)), tf.constant(new int[] {0, 1, 2, 3}), Mean.keepDims(false));
      adam = new Adam(params, loss, learningRate);

      servingXt = tf.withName("x_t").placeholder(TFloat32.class, Placeholder.shape(images));
      servingT = tf.withName("t").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      servingEps = tf.withName("eps").identity(net.apply(servingXt, servingT));
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

  /** A schedule array, as float32, gathered by the fed t and shaped [N, 1, 1, 1] to scale whole images. */
  private Operand<TFloat32> perExample(Ops tf, double[] array) {
    float[] values = new float[array.length];
    for (int i = 0; i < array.length; i++) {
      values[i] = (float) array[i];
    }
    return tf.reshape(tf.gather(tf.constant(values), t, tf.constant(0)), tf.constant(new long[] {-1, 1, 1, 1}));
  }

  /**
   * One Adam step of 1-based number {@code step} on a batch: {@code x0} and {@code noise} hold
   * {@code timesteps.length} images each, flat in NHWC order. Returns the batch's loss before the update.
   */
  public float trainStep(float[] x0Batch, int[] timesteps, float[] noise, int step) {
    Shape shape = batchShape(timesteps.length);
    try (TFloat32 x0Tensor = TFloat32.tensorOf(shape, DataBuffers.of(x0Batch, true, false));
        TInt32 tTensor = TInt32.tensorOf(Shape.of(timesteps.length), DataBuffers.of(timesteps, true, false));
        TFloat32 epsTensor = TFloat32.tensorOf(shape, DataBuffers.of(noise, true, false));
        TFloat32 stepTensor = TFloat32.scalarOf(step)) {
      Session.Runner runner = session.runner().feed(x0, x0Tensor).feed(t, tTensor).feed(eps, epsTensor).fetch(loss);
      try (Result result = adam.minimize(runner, stepTensor).run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  /** ε_θ(x_t, t) through the serving path, for {@code timesteps.length} images flat in NHWC order. */
  public float[] predict(float[] xtBatch, int[] timesteps) {
    Shape shape = batchShape(timesteps.length);
    try (TFloat32 xtTensor = TFloat32.tensorOf(shape, DataBuffers.of(xtBatch, true, false));
        TInt32 tTensor = TInt32.tensorOf(Shape.of(timesteps.length), DataBuffers.of(timesteps, true, false));
        Result result = session.runner().feed(servingXt, xtTensor).feed(servingT, tTensor).fetch(servingEps).run()) {
      float[] out = new float[xtBatch.length];
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** The serving signature: inputs "x_t" float32 [-1,H,W,C] and "t" int32 [-1], output "eps". */
  public Signature servingSignature() {
    return Signature.builder().key(SIGNATURE_KEY)
        .input("x_t", servingXt).input("t", servingT).output("eps", servingEps).build();
  }

  public Session session() {
    return session;
  }

  /** Writes every variable (weights and Adam state) as a TensorFlow checkpoint with this path prefix. */
  public void saveVariables(Path prefix) {
    session.save(prefix.toString());
  }

  public ImageShape imageShape() {
    return imageShape;
  }

  private Shape batchShape(int n) {
    return Shape.of(n, imageShape.height(), imageShape.width(), imageShape.channels());
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
