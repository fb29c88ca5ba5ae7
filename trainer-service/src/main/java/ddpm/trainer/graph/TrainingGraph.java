package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.layers.Adam;
import ddpm.layers.GradientClipping;
import ddpm.layers.MovingAverage;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.layers.SessionThreads;
import ddpm.layers.VariableAssigner;
import ddpm.layers.VariableValues;
import ddpm.repository.EpsContract;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.Precision;
import ddpm.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One graph and session holding ε_θ twice over the same variables:
 *
 * <ul>
 *   <li>training (Algorithm 1): fed x0, t and ε, it forms x_t = sqrt_abar[t]·x0 + sqrt_one_minus_abar[t]·ε
 *       by gathering the scheduler's arrays (graph constants) by t, and minimises mean(λ_t·(ε − ε_θ(x_t, t))²),
 *       λ_t the run's loss weights (all 1 for L_simple, gathered by t the same way), with Adam on gradients
 *       clipped to a global norm, then moves the weights' moving average, all in one run. Forming x_t here keeps
 *       the feed to the raw draws and the per-pixel arithmetic in one vectorised op instead of a Java loop over
 *       every pixel of the batch;
 *   <li>serving: fed x_t and t, it outputs ε_θ(x_t, t) with the moving-average weights and no dropout; this is
 *       the exported "serving_default" signature and what previews sample with.
 * </ul>
 */
public final class TrainingGraph implements TrainingSession {
  /** The class-conditional network's label embedding, the one weight an unconditional start lacks. */
  static final String CLASS_ROWS = "eps_net/class_embed/table";

  private final ImageShape imageShape;
  private final EpsNetConfig config;
  private final long seed;
  private final SessionThreads threads;
  private final Precision precision;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> x0;
  private final Placeholder<TInt32> t;
  private final Placeholder<TFloat32> eps;
  /** Each image's label, fed with the class-conditional network's training batches; null otherwise. */
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> step;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TInt64> dropoutSeed;
  private final Operand<TFloat32> loss;
  private final List<Op> updates = new ArrayList<>();
  private final Placeholder<TFloat32> servingXt;
  private final Placeholder<TInt32> servingT;
  private final Placeholder<TInt32> servingLabels;
  private final Operand<TFloat32> servingEps;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  /** Each trainable weight's name → the name of its moving average. */
  private final Map<String, String> averageNames = new LinkedHashMap<>();
  /** Sets the weights and their moving averages when a run starts from a published model. */
  private final VariableAssigner startingWeights;

  /**
   * {@code schedule} must be a full one (not respaced): t indexes it directly. {@code config} must be resolved
   * for the image ({@link EpsNetConfig#forImage}). The seed fixes the initial weights and the dropout masks.
   * {@code precision} bf16 runs the training step's and the serving path's convolutions and matrix products, and
   * their gradients, in bfloat16 on the CPU; the caller has checked that this CPU has bf16 units
   * ({@link ddpm.tensorflow.CpuFlags#bf16}).
   */
  public TrainingGraph(ImageShape imageShape, EpsNetConfig config, NoiseSchedule schedule, Optimization optimization,
      long seed, SessionThreads threads, Precision precision) {
    if (schedule.steps() != schedule.timesteps()) {
      throw new IllegalArgumentException("training needs the full schedule, got " + schedule);
    }
    this.imageShape = imageShape;
    this.config = config;
    this.seed = seed;
    this.threads = threads;
    this.precision = precision;
    TensorFlowRuntime.init();
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, seed);
      EpsNet net = EpsNet.build(params, config, imageShape);
      MovingAverage average = new MovingAverage(params);
      Adam adam = new Adam(params);
      Shape images = batchShape(-1);

      Ops train = tf.withSubScope("train");
      x0 = train.withName("x0").placeholder(TFloat32.class, Placeholder.shape(images));
      t = train.withName("t").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      eps = train.withName("eps").placeholder(TFloat32.class, Placeholder.shape(images));
      labels = config.classConditional() ? labelInput(train.withName("y")) : null;
      step = train.withName("step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      learningRate = train.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      dropoutSeed = train.withName("dropout_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> xt = tf.math.add(
          tf.math.mul(perExample(tf, schedule.sqrtAlphasCumprod()), x0),
          tf.math.mul(perExample(tf, schedule.sqrtOneMinusAlphasCumprod()), eps));
      Operand<TInt64> batchSize =
          tf.slice(tf.shape(x0, TInt64.class), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Pass training = Pass.training(tf, dropoutSeed, batchSize);
      Operand<TFloat32> weightedSquares = tf.math.mul(
          perExample(tf, optimization.lossWeighting().weights(schedule)),
          tf.math.squaredDifference(eps, net.apply(training, xt, t, labels)));
      loss = train.withName("loss").math.mean(weightedSquares, tf.constant(new int[] {0, 1, 2, 3}),
          Mean.keepDims(false));

      List<Variable<TFloat32>> trainable = params.trainable();
      var gradients = tf.gradients(loss, trainable);
      List<Operand<TFloat32>> raw = new ArrayList<>();
      for (int i = 0; i < trainable.size(); i++) {
        raw.add(gradients.<TFloat32>dy(i));
      }
      List<ApplyAdam<TFloat32>> steps = adam.updates(
          GradientClipping.byGlobalNorm(tf, raw, optimization.gradClipNorm()), learningRate, step);
      updates.addAll(steps);
      updates.addAll(average.updates(tf, trainable, steps, optimization.emaDecay()));

      servingXt = tf.withName(EpsContract.X_T).placeholder(TFloat32.class, Placeholder.shape(images));
      servingT = tf.withName(EpsContract.T).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      servingLabels = config.classConditional() ? labelInput(tf.withName(EpsContract.Y)) : null;
      servingEps = tf.withName(EpsContract.EPS)
          .identity(net.apply(Pass.serving(tf, average.shadows()), servingXt, servingT, servingLabels));
      params.all().forEach(v -> variables.put(v.op().name(), v));
      average.shadows().forEach((weight, shadow) -> averageNames.put(weight.op().name(), shadow.op().name()));
      List<Variable<TFloat32>> weightsAndAverages = new ArrayList<>(trainable);
      weightsAndAverages.addAll(average.shadows().values());
      startingWeights = new VariableAssigner(tf.withSubScope("start_from"), weightsAndAverages);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
    session = new Session(graph, sessionConfig(threads, precision));
    try {
      session.initialize();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private int[] nullLabels(int images) {
    int[] labels = new int[images];
    Arrays.fill(labels, config.nullLabel());
    return labels;
  }

  private static Placeholder<TInt32> labelInput(Ops named) {
    return named.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
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
   * The thread pools, and for bf16 the graph rewrite a denoiser's CPU sessions get (grappler's oneDNN auto mixed
   * precision: weights, Adam and the moving averages stay float32, the ops it allows compute in bfloat16 behind
   * casts). Only the graph options are the CPU configuration's: the trainer sets no device, and its ops go where
   * TensorFlow places them.
   */
  private static ConfigProto sessionConfig(SessionThreads threads, Precision precision) {
    return threads.config().toBuilder()
        .setGraphOptions(ComputeDevice.CPU.sessionConfig(precision).getGraphOptions())
        .build();
  }

  /**
   * Sessions of this graph with the given thread settings in {@code precision}, which the caller has chosen for this
   * CPU ({@link ddpm.tensorflow.PrecisionChoice#selectForTraining}).
   */
  public static TrainingSession.Factory factory(SessionThreads threads, Precision precision) {
    return (imageShape, config, schedule, optimization, seed) ->
        new TrainingGraph(imageShape, config, schedule, optimization, seed, threads, precision);
  }

  /** Adam on the batch, then the moving average, in one run. */
  @Override
  public float trainStep(float[] x0Batch, int[] timesteps, float[] noise, int[] batchLabels, int stepNumber,
      double rate) {
    if ((batchLabels == null) != (labels == null)) {
      throw new IllegalArgumentException(labels == null ? "an unconditional network trains without labels"
          : "a class-conditional network trains with a label per image");
    }
    Shape shape = batchShape(timesteps.length);
    try (TFloat32 x0Tensor = TFloat32.tensorOf(shape, DataBuffers.of(x0Batch, true, false));
        TInt32 tTensor = TInt32.tensorOf(Shape.of(timesteps.length), DataBuffers.of(timesteps, true, false));
        TFloat32 epsTensor = TFloat32.tensorOf(shape, DataBuffers.of(noise, true, false));
        TFloat32 stepTensor = TFloat32.scalarOf(stepNumber);
        TFloat32 rateTensor = TFloat32.scalarOf((float) rate);
        TInt64 seedTensor = TInt64.vectorOf(seed, stepNumber);
        TInt32 labelTensor = batchLabels == null ? null : TInt32.vectorOf(batchLabels)) {
      Session.Runner runner = session.runner()
          .feed(x0, x0Tensor).feed(t, tTensor).feed(eps, epsTensor)
          .feed(step, stepTensor).feed(learningRate, rateTensor).feed(dropoutSeed, seedTensor)
          .fetch(loss);
      if (labelTensor != null) {
        runner.feed(labels, labelTensor);
      }
      updates.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return ((TFloat32) result.get(0)).getFloat();
      }
    }
  }

  /** A class-conditional network predicts without a class (the null label): previews show every class. */
  @Override
  public float[] predict(float[] xtBatch, int[] timesteps) {
    Shape shape = batchShape(timesteps.length);
    try (TFloat32 xtTensor = TFloat32.tensorOf(shape, DataBuffers.of(xtBatch, true, false));
        TInt32 tTensor = TInt32.tensorOf(Shape.of(timesteps.length), DataBuffers.of(timesteps, true, false));
        TInt32 labelTensor = servingLabels == null ? null : TInt32.vectorOf(nullLabels(timesteps.length))) {
      Session.Runner runner = session.runner().feed(servingXt, xtTensor).feed(servingT, tTensor).fetch(servingEps);
      if (labelTensor != null) {
        runner.feed(servingLabels, labelTensor);
      }
      try (Result result = runner.run()) {
        float[] out = new float[xtBatch.length];
        ((TFloat32) result.get(0)).copyTo(DataBuffers.of(out, false, false));
        return out;
      }
    }
  }

  /**
   * Every variable's current value by name: the weights ({@code …/kernel}), their moving averages
   * ({@code …/kernel_ema}) and Adam's moments ({@code …/kernel_adam_m}, {@code …_adam_v}).
   */
  public Map<String, float[]> variableValues() {
    return VariableValues.read(session, variables.keySet());
  }

  /** The serving path alone, in a graph of its own whose weights are the current moving averages: what is published. */
  public ServingGraph servingGraph() {
    Map<String, float[]> values = variableValues();
    Map<String, float[]> averaged = new LinkedHashMap<>();
    averageNames.forEach((weight, average) -> averaged.put(weight, values.get(average)));
    return new ServingGraph(imageShape, config, seed, averaged, threads);
  }

  /**
   * Reads the SavedModel's weights by name (they are moving averages themselves); Adam's moments keep their
   * values, zero in a new graph. A class-conditional network may start from an unconditional one: its class
   * rows, which that one lacks, keep their zeros.
   */
  @Override
  public void startFrom(Path savedModel) {
    Map<String, float[]> weights = PublishedWeights.read(savedModel, averageNames.keySet(), CLASS_ROWS);
    Map<String, float[]> values = new LinkedHashMap<>(weights);
    weights.forEach((weight, value) -> values.put(averageNames.get(weight), value));
    startingWeights.assign(session, values);
  }

  /** A TensorFlow checkpoint of every variable: weights, moving averages, Adam's moments. */
  @Override
  public void saveVariables(Path prefix) {
    session.save(prefix.toString());
  }

  @Override
  public void restoreVariables(Path prefix) {
    session.restore(prefix.toString());
  }

  /** The serving graph alone, exported as a SavedModel (signature "serving_default": x_t, t → eps). */
  @Override
  public void export(Path dir) throws IOException {
    try (ServingGraph serving = servingGraph()) {
      serving.export(dir);
    }
  }

  @Override
  public ImageShape imageShape() {
    return imageShape;
  }

  @Override
  public Precision precision() {
    return precision;
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
