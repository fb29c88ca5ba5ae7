package ddpm.testing;

import com.google.gson.JsonObject;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.exact.GaussianClasses;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The exact denoisers of docs/math.md §7 as real TensorFlow SavedModels that follow the ε_θ contract (signature
 * serving_default: x_t float32 [-1, H, W, C], t int32 [-1], output eps float32 [-1, H, W, C]), so a
 * sampler or the denoiser can be tested end to end without training a network.
 *
 * <p>Every denoiser here but the Gaussian classes is affine in x: ε*(x, i) = scale[i] · x − shift[i] · target, with
 * the per-step coefficients computed once in float64 from the card's schedule and gathered by t inside the graph; the
 * Gaussian classes weigh such a term per class by the label, or by the posterior over the classes.
 */
public final class ExactDenoisers {
  private ExactDenoisers() {}

  /** A card for an exact denoiser: ε prediction of {@code h × w × c} images over {@code timesteps} steps. */
  public static ModelCard card(String name, int h, int w, int c, int timesteps, String schedule) {
    return new ModelCard(name, List.of(h, w, c), timesteps, schedule, EpsContract.PREDICTION,
        EpsContract.TENSORFLOW_SAVED_MODEL, null);
  }

  /**
   * {@code card} for a class-conditional network of {@code numClasses} classes, with null label {@code numClasses},
   * as the trainer writes it (model.json's num_classes and null_label).
   */
  public static ModelCard withClasses(ModelCard card, int numClasses) {
    JsonObject details = card.details().deepCopy();
    details.addProperty(EpsContract.NUM_CLASSES, numClasses);
    details.addProperty(EpsContract.NULL_LABEL, numClasses);
    return new ModelCard(card.name(), card.imageShape(), card.timesteps(), card.schedule(), card.prediction(),
        card.format(), details);
  }

  /** The name of the labelled point mass's class-label input, as improved-diffusion names it. */
  public static final String LABEL = "y";

  /** ε*(x, i) = (x − sqrt_abar[i] · x0) / sqrt_one_minus_abar[i]: every sampler must return x0. */
  public static void exportPointMass(Path versionDir, ModelCard card, float[] x0) throws IOException {
    exportPointMass(versionDir, card, x0, false);
  }

  /**
   * A conditional model: class y (extra input {@value #LABEL}, int32 [-1]) is the point x0 + y, every pixel
   * shifted by y, so ε*(x, i, y) = (x − sqrt_abar[i] · (x0 + y)) / sqrt_one_minus_abar[i]. Each row's ε depends
   * on its own label, so a row computed with another image's label shows.
   */
  public static void exportLabelledPointMass(Path versionDir, ModelCard card, float[] x0) throws IOException {
    exportPointMass(versionDir, card, x0, true);
  }

  private static void exportPointMass(Path versionDir, ModelCard card, float[] x0, boolean labelled)
      throws IOException {
    if (x0.length != imageSize(card)) {
      throw new IllegalArgumentException("x0: needs " + imageSize(card) + " values for image_shape "
          + card.imageShape() + ", got " + x0.length);
    }
    NoiseSchedule schedule = schedule(card);
    double[] sqrtAbar = schedule.sqrtAlphasCumprod();
    double[] sqrtOneMinusAbar = schedule.sqrtOneMinusAlphasCumprod();
    double[] scale = new double[card.timesteps()];
    double[] shift = new double[card.timesteps()];
    for (int i = 0; i < scale.length; i++) {
      scale[i] = 1 / sqrtOneMinusAbar[i];
      shift[i] = sqrtAbar[i] / sqrtOneMinusAbar[i];
    }
    export(versionDir, card, scale, shift, x0, labelled);
  }

  /**
   * ε*(x, i) = sqrt_one_minus_abar[i] · (x − sqrt_abar[i] · μ) / (abar[i] · s² + 1 − abar[i]) for
   * independent pixels N(μ, s²): ancestral samples must have per-pixel mean μ and deviation s.
   */
  public static void exportGaussian(Path versionDir, ModelCard card, float mean, float std) throws IOException {
    if (!(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
      throw new IllegalArgumentException("mean, std: need a finite mean and a finite std > 0, got "
          + mean + ", " + std);
    }
    double[][] coefficients = gaussianCoefficients(schedule(card), std);
    float[] target = new float[imageSize(card)];
    Arrays.fill(target, mean);
    export(versionDir, card, coefficients[0], coefficients[1], target, false);
  }

  /** {scale, shift} of the Gaussian's ε* = scale[i]·x − shift[i]·μ, per step. */
  private static double[][] gaussianCoefficients(NoiseSchedule schedule, double std) {
    double[] abar = schedule.alphasCumprod();
    double[] sqrtAbar = schedule.sqrtAlphasCumprod();
    double[] sqrtOneMinusAbar = schedule.sqrtOneMinusAlphasCumprod();
    double variance = std * std;
    double[] scale = new double[abar.length];
    double[] shift = new double[abar.length];
    for (int i = 0; i < scale.length; i++) {
      scale[i] = sqrtOneMinusAbar[i] / (abar[i] * variance + 1 - abar[i]);
      shift[i] = scale[i] * sqrtAbar[i];
    }
    return new double[][] {scale, shift};
  }

  /**
   * Diffusion-core's {@link GaussianClasses} as a class-conditional SavedModel: class k of K has prior π_k and
   * pixels N(μ_k, s_k²), the card (written with {@link #withClasses}) declares K classes and null label K, and the
   * network takes {@value #LABEL}: label k gives class k's Gaussian ε*, the null label the mixture's,
   * Σ_k P(k | x)·ε*_k with the posterior a softmax over every pixel of the image (docs/math.md §7).
   */
  public static void exportGaussianClasses(Path versionDir, ModelCard card, double[] means, double[] stds,
      double[] priors) throws IOException {
    int classes = means.length;
    if (classes < 2 || stds.length != classes || priors.length != classes) {
      throw new IllegalArgumentException("means, stds, priors: need two or more classes, one value each, got "
          + means.length + ", " + stds.length + ", " + priors.length);
    }
    NoiseSchedule schedule = schedule(card);
    double[] abar = schedule.alphasCumprod();
    double total = Arrays.stream(priors).sum();
    int pixels = imageSize(card);
    ModelCard labelled = withClasses(card, classes);
    TensorFlowRuntime.init();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> xt = xtPlaceholder(tf, card);
      Placeholder<TInt32> t = tf.withName(EpsContract.T).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> y = tf.withName(LABEL).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> sqrtAbar = perImage(tf, schedule.sqrtAlphasCumprod(), t);
      List<Operand<TFloat32>> eps = new ArrayList<>();
      List<Operand<TFloat32>> logits = new ArrayList<>();
      for (int k = 0; k < classes; k++) {
        double[][] coefficients = gaussianCoefficients(schedule, stds[k]);
        Operand<TFloat32> mu = tf.constant((float) means[k]);
        eps.add(tf.math.sub(tf.math.mul(perImage(tf, coefficients[0], t), xt),
            tf.math.mul(perImage(tf, coefficients[1], t), mu)));
        double[] logNormaliser = new double[abar.length];
        double[] halfPrecision = new double[abar.length];
        for (int i = 0; i < abar.length; i++) {
          double variance = abar[i] * stds[k] * stds[k] + 1 - abar[i];
          logNormaliser[i] = Math.log(priors[k] / total) - 0.5 * pixels * Math.log(variance);
          halfPrecision[i] = 1 / (2 * variance);
        }
        Operand<TFloat32> distance = tf.math.sub(xt, tf.math.mul(sqrtAbar, mu));
        Operand<TFloat32> squares = tf.reduceSum(tf.math.square(distance), tf.constant(new int[] {1, 2, 3}));
        logits.add(tf.math.sub(gathered(tf, logNormaliser, t), tf.math.mul(gathered(tf, halfPrecision, t), squares)));
      }
      Operand<TFloat32> posterior = tf.nn.softmax(tf.stack(logits, Stack.axis(1L)));
      Operand<TFloat32> isNull = tf.reshape(tf.dtypes.cast(tf.math.equal(y, tf.constant(classes)), TFloat32.class),
          tf.constant(new int[] {-1, 1}));
      Operand<TFloat32> weights = tf.math.add(tf.oneHot(y, tf.constant(classes), tf.constant(1f), tf.constant(0f)),
          tf.math.mul(isNull, posterior));
      Operand<TFloat32> sum = null;
      for (int k = 0; k < classes; k++) {
        Operand<TFloat32> weight = tf.reshape(tf.gather(weights, tf.constant(k), tf.constant(1)),
            tf.constant(new int[] {-1, 1, 1, 1}));
        Operand<TFloat32> term = tf.math.mul(weight, eps.get(k));
        sum = sum == null ? term : tf.math.add(sum, term);
      }
      Operand<TFloat32> out = tf.withName(EpsContract.EPS).identity(sum);
      SavedModelBundle.exporter(versionDir.toString())
          .withSession(session)
          .withSignature(Signature.builder().key(EpsContract.SIGNATURE_KEY).input(EpsContract.X_T, xt)
              .input(EpsContract.T, t).input(LABEL, y).output(EpsContract.EPS, out).build())
          .export();
    }
    labelled.write(versionDir);
  }

  /** Publishes Gaussian classes as the next version of {@code card.name()}; returns the version. */
  public static long publishGaussianClasses(ModelRepository repository, ModelCard card, double[] means,
      double[] stds, double[] priors) throws IOException {
    return repository.publish(card.name(), dir -> exportGaussianClasses(dir, card, means, stds, priors));
  }

  /** Publishes a point-mass denoiser as the next version of {@code card.name()}; returns the version. */
  public static long publishPointMass(ModelRepository repository, ModelCard card, float[] x0) throws IOException {
    return repository.publish(card.name(), dir -> exportPointMass(dir, card, x0));
  }

  /**
   * The labelled point mass's ε* in Java, the oracle for {@link #exportLabelledPointMass}: it reads the labels
   * from the extra input {@value #LABEL}.
   */
  public static EpsModel labelledPointMass(NoiseSchedule full, float[] x0) {
    return new EpsModel() {
      @Override
      public float[] predict(float[] xt, int[] t) {
        throw new IllegalArgumentException("the labelled point mass needs the extra input " + LABEL);
      }

      @Override
      public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
        int[] y = inputs.asMap().get(LABEL).ints();
        float[] eps = new float[xt.length];
        for (int n = 0; n < t.length; n++) {
          float[] point = x0.clone();
          for (int p = 0; p < point.length; p++) {
            point[p] += y[n];
          }
          float[] row = ExactEps.pointMass(full, point)
              .predict(Arrays.copyOfRange(xt, n * point.length, (n + 1) * point.length), new int[] {t[n]});
          System.arraycopy(row, 0, eps, n * point.length, point.length);
        }
        return eps;
      }
    };
  }

  /** Publishes a labelled point-mass denoiser as the next version of {@code card.name()}; returns the version. */
  public static long publishLabelledPointMass(ModelRepository repository, ModelCard card, float[] x0)
      throws IOException {
    return repository.publish(card.name(), dir -> exportLabelledPointMass(dir, card, x0));
  }

  /** Publishes a Gaussian denoiser as the next version of {@code card.name()}; returns the version. */
  public static long publishGaussian(ModelRepository repository, ModelCard card, float mean, float std)
      throws IOException {
    return repository.publish(card.name(), dir -> exportGaussian(dir, card, mean, std));
  }

  private static NoiseSchedule schedule(ModelCard card) {
    return NoiseSchedule.of(ScheduleKind.parse(card.schedule(), "schedule"), card.timesteps());
  }

  private static int imageSize(ModelCard card) {
    return card.height() * card.width() * card.channels();
  }

  /** {@code labelled}: the target of image n is {@code target} + y[n], y an extra input {@value #LABEL}. */
  private static void export(Path dir, ModelCard card, double[] scale, double[] shift, float[] target,
      boolean labelled) throws IOException {
    TensorFlowRuntime.init();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Shape image = Shape.of(card.height(), card.width(), card.channels());
      Placeholder<TFloat32> xt = xtPlaceholder(tf, card);
      Placeholder<TInt32> t = tf.withName(EpsContract.T).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> targetImage = tf.constant(Shape.of(1).append(image), DataBuffers.of(target));
      Signature.Builder signature = Signature.builder().key(EpsContract.SIGNATURE_KEY)
          .input(EpsContract.X_T, xt).input(EpsContract.T, t);
      if (labelled) {
        Placeholder<TInt32> y = tf.withName(LABEL).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        targetImage = tf.math.add(targetImage,
            tf.reshape(tf.dtypes.cast(y, TFloat32.class), tf.constant(new int[] {-1, 1, 1, 1})));
        signature.input(LABEL, y);
      }
      Operand<TFloat32> eps = tf.withName(EpsContract.EPS).math.sub(
          tf.math.mul(perImage(tf, scale, t), xt),
          tf.math.mul(perImage(tf, shift, t), targetImage));
      SavedModelBundle.exporter(dir.toString())
          .withSession(session)
          .withSignature(signature.output(EpsContract.EPS, eps).build())
          .export();
    }
    card.write(dir);
  }

  private static Placeholder<TFloat32> xtPlaceholder(Ops tf, ModelCard card) {
    return tf.withName(EpsContract.X_T).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, card.height(), card.width(), card.channels())));
  }

  /** coefficients[t[n]] shaped [N, 1, 1, 1], to broadcast over each image of the batch. */
  private static Operand<TFloat32> perImage(Ops tf, double[] coefficients, Operand<TInt32> t) {
    return tf.reshape(gathered(tf, coefficients, t), tf.constant(new int[] {-1, 1, 1, 1}));
  }

  /** coefficients[t[n]], one per image. */
  private static Operand<TFloat32> gathered(Ops tf, double[] coefficients, Operand<TInt32> t) {
    float[] values = new float[coefficients.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) coefficients[i];
    }
    return tf.gather(tf.constant(values), t, tf.constant(0));
  }
}
