package ddpm.testing;

import com.google.gson.JsonObject;
import ddpm.diffusion.exact.ExactEps;
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
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The exact denoisers of docs/math.md §7 as real TensorFlow SavedModels that follow the ε_θ contract (signature
 * serving_default: x_t float32 [-1, H, W, C], t int32 [-1], output eps float32 [-1, H, W, C]), so a
 * sampler or the denoiser can be tested end to end without training a network.
 *
 * <p>Every denoiser here is affine in x: ε*(x, i) = scale[i] · x − shift[i] · target, with the per-step
 * coefficients computed once in float64 from the card's schedule and gathered by t inside the graph.
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
    NoiseSchedule schedule = schedule(card);
    double[] abar = schedule.alphasCumprod();
    double[] sqrtAbar = schedule.sqrtAlphasCumprod();
    double[] sqrtOneMinusAbar = schedule.sqrtOneMinusAlphasCumprod();
    double variance = (double) std * std;
    double[] scale = new double[card.timesteps()];
    double[] shift = new double[card.timesteps()];
    for (int i = 0; i < scale.length; i++) {
      scale[i] = sqrtOneMinusAbar[i] / (abar[i] * variance + 1 - abar[i]);
      shift[i] = scale[i] * sqrtAbar[i];
    }
    float[] target = new float[imageSize(card)];
    Arrays.fill(target, mean);
    export(versionDir, card, scale, shift, target, false);
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
      Placeholder<TFloat32> xt = tf.withName(EpsContract.X_T).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1).append(image)));
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

  /** coefficients[t[n]] shaped [N, 1, 1, 1], to broadcast over each image of the batch. */
  private static Operand<TFloat32> perImage(Ops tf, double[] coefficients, Operand<TInt32> t) {
    float[] values = new float[coefficients.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) coefficients[i];
    }
    return tf.reshape(tf.gather(tf.constant(values), t, tf.constant(0)), tf.constant(new int[] {-1, 1, 1, 1}));
  }
}
