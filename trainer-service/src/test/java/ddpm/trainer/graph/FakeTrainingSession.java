package ddpm.trainer.graph;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.tensorflow.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A pure-Java stand-in for {@link TrainingGraph}, for the tests of what surrounds the network (the loop,
 * checkpoints, resume, previews, publishing, jobs), which then take milliseconds a step. Its ε̂ = w ⊙ x_t + b,
 * one weight and one bias per pixel (plus {@link #LABEL_SHIFT} times the label y of a class-conditional network's
 * training batch, so that its steps depend on the labels drawn), learns by momentum SGD on the clipped gradient of
 * mean λ_t·(ε − ε̂)² (λ the run's loss weights), with x_t formed from the schedule at each example's t and the
 * momentum's bias correction clocked by the step number; a moving average of w and b serves. Every step's result thus depends on its batch, t, ε, step number and
 * learning rate, and a session saved and restored continues exactly where it was, as the real one does: a
 * mistake in what surrounds it changes the weights.
 *
 * <p>Its variables go to {@code <prefix>.f32}; its export is {@code weights.f32}, the averaged w and b.
 */
public final class FakeTrainingSession implements TrainingSession {
  public static final String VARIABLES_SUFFIX = ".f32";
  public static final String EXPORT = "weights.f32";
  private static final double MOMENTUM = 0.9;
  private static final double LABEL_SHIFT = 0.01;

  private final ImageShape shape;
  private final int pixels;
  private final Optimization optimization;
  private final boolean classConditional;
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] lossWeights;
  /** w then b; their momentum; their moving average. */
  private float[] weights;
  private float[] momentum;
  private float[] average;

  public FakeTrainingSession(ImageShape shape, EpsNetConfig config, NoiseSchedule schedule, Optimization optimization,
      long seed) {
    this.shape = shape;
    this.pixels = shape.height() * shape.width() * shape.channels();
    this.optimization = optimization;
    this.classConditional = config.classConditional();
    this.sqrtAlphasCumprod = schedule.sqrtAlphasCumprod();
    this.sqrtOneMinusAlphasCumprod = schedule.sqrtOneMinusAlphasCumprod();
    this.lossWeights = optimization.lossWeighting().weights(schedule);
    SplittableRandom random = new SplittableRandom(seed);
    weights = new float[2 * pixels];
    for (int p = 0; p < pixels; p++) {
      weights[p] = (float) (0.1 * random.nextGaussian());
    }
    momentum = new float[2 * pixels];
    average = weights.clone();
  }

  @Override
  public float trainStep(float[] x0Batch, int[] timesteps, float[] noise, int[] labels, int stepNumber,
      double rate) {
    if ((labels != null) != classConditional) {
      throw new IllegalArgumentException(classConditional ? "a class-conditional network trains with labels"
          : "an unconditional network trains without labels");
    }
    double[] gradient = new double[2 * pixels];
    double loss = 0;
    for (int i = 0; i < timesteps.length; i++) {
      double shift = labels == null ? 0 : LABEL_SHIFT * labels[i];
      double weight = lossWeights[timesteps[i]];
      for (int p = 0; p < pixels; p++) {
        int k = i * pixels + p;
        double xt = sqrtAlphasCumprod[timesteps[i]] * x0Batch[k] + sqrtOneMinusAlphasCumprod[timesteps[i]] * noise[k];
        double error = weights[p] * xt + weights[pixels + p] + shift - noise[k];
        loss += weight * error * error;
        gradient[p] += 2 * weight * error * xt;
        gradient[pixels + p] += 2 * weight * error;
      }
    }
    int count = timesteps.length * pixels;
    double squares = 0;
    for (double g : gradient) {
      squares += (g / count) * (g / count);
    }
    double clip = optimization.gradClipNorm() / Math.max(Math.sqrt(squares), optimization.gradClipNorm());
    double correction = 1 - Math.pow(MOMENTUM, stepNumber);
    double decay = optimization.emaDecay();
    for (int j = 0; j < weights.length; j++) {
      momentum[j] = (float) (MOMENTUM * momentum[j] + gradient[j] / count * clip);
      weights[j] = (float) (weights[j] - rate * momentum[j] / correction);
      average[j] = (float) (decay * average[j] + (1 - decay) * weights[j]);
    }
    return (float) (loss / count);
  }

  @Override
  public float[] predict(float[] xtBatch, int[] timesteps) {
    float[] eps = new float[xtBatch.length];
    for (int k = 0; k < eps.length; k++) {
      int p = k % pixels;
      eps[k] = average[p] * xtBatch[k] + average[pixels + p];
    }
    return eps;
  }

  @Override
  public void saveVariables(Path prefix) {
    float[] all = new float[3 * weights.length];
    System.arraycopy(weights, 0, all, 0, weights.length);
    System.arraycopy(momentum, 0, all, weights.length, weights.length);
    System.arraycopy(average, 0, all, 2 * weights.length, weights.length);
    write(variablesFile(prefix), all);
  }

  @Override
  public void restoreVariables(Path prefix) {
    float[] all = read(variablesFile(prefix));
    weights = Arrays.copyOfRange(all, 0, weights.length);
    momentum = Arrays.copyOfRange(all, weights.length, 2 * weights.length);
    average = Arrays.copyOfRange(all, 2 * weights.length, 3 * weights.length);
  }

  /** As the real one: the weights and their average start at the published (averaged) weights; momentum stays. */
  @Override
  public void startFrom(Path savedModel) {
    weights = exported(savedModel);
    average = weights.clone();
  }

  @Override
  public void export(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir.resolve(EXPORT), average);
  }

  @Override
  public ImageShape imageShape() {
    return shape;
  }

  /** Its arithmetic is Java's doubles; the card says fp32, as a TensorFlow session that rounds nothing lower. */
  @Override
  public Precision precision() {
    return Precision.FP32;
  }

  @Override
  public void close() {}

  /** The file {@link #saveVariables} writes for {@code prefix}. */
  public static Path variablesFile(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + VARIABLES_SUFFIX);
  }

  /** The averaged w and b that {@link #export} wrote into {@code dir}. */
  public static float[] exported(Path dir) {
    return read(dir.resolve(EXPORT));
  }

  private static void write(Path file, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    try {
      Files.write(file, bytes.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float[] read(Path file) {
    try {
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[bytes.remaining() / 4];
      bytes.asFloatBuffer().get(values);
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
