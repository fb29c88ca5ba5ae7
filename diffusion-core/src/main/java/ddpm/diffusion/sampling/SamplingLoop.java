package ddpm.diffusion.sampling;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * The loop every sampler shares, over a full or a respaced schedule: x_T, then for k = K−1 down to 0 one
 * {@link EpsModel} call for the whole batch at the network timestep of position k, then one
 * {@link ReverseStep}, which may make more calls through the loop's {@link ModelCalls} (Heun, a corrector). All
 * noise comes from {@link NoiseStreams}: image i draws x_T and every z from the stream of (seed, imageOffset + i),
 * so its result does not depend on the other images of the batch. A run that starts from images follows a
 * {@link SamplingPath} instead of K−1 down to 0 (docs/math.md §14).
 */
public final class SamplingLoop {
  private final NoiseSchedule schedule;
  private final Supplier<ReverseStep> steps;

  /** @param steps a rule for one run; a rule that remembers earlier steps must be new at every call */
  SamplingLoop(NoiseSchedule schedule, Supplier<ReverseStep> steps) {
    this.schedule = schedule;
    this.steps = steps;
  }

  /** The number of model calls of a run: K, plus the extra calls of a rule that makes more. */
  public int steps() {
    return count(SamplingPath.PLAIN.positions(schedule.steps()), modelCalls(steps.get()));
  }

  /** The model calls of a reverse step from position k: one, plus the rule's extra ones. */
  private static IntUnaryOperator modelCalls(ReverseStep step) {
    return k -> 1 + step.extraCalls(k);
  }

  /** The sum of {@code perStep} over the reverse steps (k to k−1) of {@code positions}. */
  private static int count(int[] positions, IntUnaryOperator perStep) {
    int count = 0;
    for (int j = 1; j < positions.length; j++) {
      count += positions[j] < positions[j - 1] ? perStep.applyAsInt(positions[j - 1]) : 0;
    }
    return count;
  }

  /**
   * Draws {@code batch}: images {@code imageOffset} to {@code imageOffset + numImages − 1} of the sequence its
   * seed names (see {@link NoiseStreams}). The seed's x_T is drawn even when the batch gives its own, so a run
   * given the seed's own x_T equals the run without it and later z do not depend on where x_T came from.
   * Before every model call it checks {@code cancelled} and the thread's interrupt flag, and stops with a
   * {@link CancellationException}. After every position it tells {@code listener} the model calls made so far.
   *
   * @return x_0, N images row-major NHWC in model scale (about [−1, 1]; see {@link ddpm.diffusion.Pixels})
   */
  public float[] sample(EpsModel model, ImageShape shape, SampleBatch batch, StepListener listener,
      BooleanSupplier cancelled) {
    return sample(model, shape, batch, SamplingPath.PLAIN, Previews.NONE, listener, cancelled);
  }

  /**
   * The same along {@code path} (image-to-image, inpainting, interpolation: docs/math.md §14), showing
   * {@code previews} the x_t and x̂₀ of the steps they ask for. {@code listener} counts the model calls of the
   * path's reverse steps, {@code previews} the reverse steps themselves (a Heun or corrector step makes more than
   * one call), and {@code path} starts from the batch's x_T as plain generation does.
   */
  public float[] sample(EpsModel model, ImageShape shape, SampleBatch batch, SamplingPath path, Previews previews,
      StepListener listener, BooleanSupplier cancelled) {
    int numImages = batch.numImages();
    NoiseStreams noise = path.sharesNoise()
        ? NoiseStreams.shared(batch.seed(), batch.imageOffset(), numImages, shape.size())
        : new NoiseStreams(batch.seed(), batch.imageOffset(), numImages, shape.size());
    float[] x = toFloats(noise.next());
    if (batch.initialNoise() != null) {
      checkInitialNoise(batch.initialNoise(), x.length);
      x = batch.initialNoise().clone();
    }
    int[] positions = checkedPositions(path.positions(schedule.steps()));
    x = path.start(x, positions[0]);
    ReverseStep step = steps.get();
    int[] timestepIndices = schedule.timestepIndices();
    int totalSteps = count(positions, k -> 1);
    IntUnaryOperator callsOfStep = modelCalls(step);
    int totalCalls = count(positions, callsOfStep);
    int stepsDone = 0;
    int callsDone = 0;
    LoopCalls calls = new LoopCalls(model, batch, noise, shape.size(), timestepIndices, cancelled);
    for (int j = 1; j < positions.length; j++) {
      int k = positions[j - 1];
      if (positions[j] > k) {
        x = path.up(x, k, noise);
        continue;
      }
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("sampling cancelled before step " + (stepsDone + 1) + " of " + totalSteps);
      }
      float[] eps = calls.predict(x, k);
      stepsDone++;
      float[] xt = x;
      float[] x0Hat = previews.due(stepsDone, totalSteps) ? x0Hat(xt, eps, k) : null;
      x = step.apply(x, eps, k, step.addsNoise(k) ? noise.next() : null, calls);
      x = path.afterStep(x, k - 1, noise);
      callsDone += callsOfStep.applyAsInt(k);
      listener.onStep(callsDone, totalCalls, timestepIndices[k]);
      if (x0Hat != null) {
        previews.listener().onPreview(stepsDone, totalSteps, timestepIndices[k], xt, x0Hat);
      }
    }
    return x;
  }

  /** The model calls and noise of one run, lent to its step. */
  private static final class LoopCalls implements ModelCalls {
    private final EpsModel model;
    private final SampleBatch batch;
    private final NoiseStreams noise;
    private final int valuesPerImage;
    private final int[] timestepIndices;
    private final BooleanSupplier cancelled;

    LoopCalls(EpsModel model, SampleBatch batch, NoiseStreams noise, int valuesPerImage, int[] timestepIndices,
        BooleanSupplier cancelled) {
      this.model = model;
      this.batch = batch;
      this.noise = noise;
      this.valuesPerImage = valuesPerImage;
      this.timestepIndices = timestepIndices;
      this.cancelled = cancelled;
    }

    @Override
    public float[] eps(float[] x, int k) {
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("sampling cancelled before a model call at timestep " + timestepIndices[k]);
      }
      return predict(x, k);
    }

    /** ε_θ at (x, position k) for the whole batch. */
    float[] predict(float[] x, int k) {
      int[] t = new int[batch.numImages()];
      Arrays.fill(t, timestepIndices[k]);
      float[] eps = model.predict(x, t, batch.inputs());
      if (eps.length != x.length) {
        throw new IllegalStateException(
            "the denoiser returned " + eps.length + " values for " + x.length + " inputs");
      }
      return eps;
    }

    @Override
    public double[] noise() {
      return noise.next();
    }

    @Override
    public int valuesPerImage() {
      return valuesPerImage;
    }
  }

  private int[] checkedPositions(int[] positions) {
    int last = positions.length - 1;
    boolean valid = last >= 0 && positions[last] == -1;
    for (int j = 0; j <= last && valid; j++) {
      valid = positions[j] >= -1 && positions[j] < schedule.steps()
          && (j == 0 || Math.abs(positions[j] - positions[j - 1]) == 1);
    }
    if (!valid) {
      throw new IllegalStateException("a sampling path must walk one position at a time within [−1, "
          + (schedule.steps() - 1) + "] and end at −1, got " + Arrays.toString(positions));
    }
    return positions;
  }

  private float[] x0Hat(float[] x, float[] eps, int k) {
    double sqrtAbar = schedule.sqrtAlphasCumprod()[k];
    double sqrtOneMinusAbar = schedule.sqrtOneMinusAlphasCumprod()[k];
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (float) StepMath.x0Hat(x[j], eps[j], sqrtAbar, sqrtOneMinusAbar, false);
    }
    return out;
  }

  private static void checkInitialNoise(float[] initialNoise, int expected) {
    if (initialNoise.length != expected) {
      throw new IllegalArgumentException(
          "initial_noise has " + initialNoise.length + " values, the batch needs " + expected);
    }
    for (int j = 0; j < initialNoise.length; j++) {
      if (!Float.isFinite(initialNoise[j])) {
        throw new IllegalArgumentException("initial_noise must be finite, got " + initialNoise[j] + " at " + j);
      }
    }
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int j = 0; j < values.length; j++) {
      out[j] = (float) values[j];
    }
    return out;
  }
}
