package ddpm.diffusion.sampling;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The loop every sampler shares, over a full or a respaced schedule: x_T, then for k = K−1 down to 0 one
 * {@link EpsModel} call for the whole batch at the network timestep of position k, then one
 * {@link ReverseStep}. All noise comes from {@link NoiseStreams}: image i draws x_T and every z from the stream
 * of (seed, imageOffset + i), so its result does not depend on the other images of the batch. A run that starts from
 * images follows a {@link SamplingPath} instead of K−1 down to 0 (docs/math.md §12).
 */
public final class SamplingLoop {
  private final NoiseSchedule schedule;
  private final Supplier<ReverseStep> steps;

  /** @param steps a rule for one run; a rule that remembers earlier steps must be new at every call */
  SamplingLoop(NoiseSchedule schedule, Supplier<ReverseStep> steps) {
    this.schedule = schedule;
    this.steps = steps;
  }

  /** K, the number of model calls of a run. */
  public int steps() {
    return schedule.steps();
  }

  /**
   * Draws {@code batch}: images {@code imageOffset} to {@code imageOffset + numImages − 1} of the sequence its
   * seed names (see {@link NoiseStreams}). The seed's x_T is drawn even when the batch gives its own, so a run
   * given the seed's own x_T equals the run without it and later z do not depend on where x_T came from.
   * Before every step it checks {@code cancelled} and the thread's interrupt flag, and stops with a
   * {@link CancellationException}.
   *
   * @return x_0, N images row-major NHWC in model scale (about [−1, 1]; see {@link ddpm.diffusion.Pixels})
   */
  public float[] sample(EpsModel model, ImageShape shape, SampleBatch batch, StepListener listener,
      BooleanSupplier cancelled) {
    return sample(model, shape, batch, SamplingPath.PLAIN, Previews.NONE, listener, cancelled);
  }

  /**
   * The same along {@code path} (image-to-image, inpainting, interpolation: docs/math.md §12), showing
   * {@code previews} the x_t and x̂₀ of the steps they ask for. Steps are counted over the reverse steps of the
   * path, and {@code path} starts from the batch's x_T as plain generation does.
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
    int total = reverseSteps(positions);
    int done = 0;
    int[] t = new int[numImages];
    for (int j = 1; j < positions.length; j++) {
      int k = positions[j - 1];
      if (positions[j] > k) {
        x = path.up(x, k, noise);
        continue;
      }
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("sampling cancelled before step " + (done + 1) + " of " + total);
      }
      Arrays.fill(t, timestepIndices[k]);
      float[] eps = model.predict(x, t.clone(), batch.inputs());
      if (eps.length != x.length) {
        throw new IllegalStateException(
            "the denoiser returned " + eps.length + " values for " + x.length + " inputs");
      }
      done++;
      float[] xt = x;
      float[] x0Hat = previews.due(done, total) ? x0Hat(xt, eps, k) : null;
      x = step.apply(x, eps, k, step.addsNoise(k) ? noise.next() : null);
      x = path.afterStep(x, k - 1, noise);
      listener.onStep(done, total, timestepIndices[k]);
      if (x0Hat != null) {
        previews.listener().onPreview(done, total, timestepIndices[k], xt, x0Hat);
      }
    }
    return x;
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

  private static int reverseSteps(int[] positions) {
    int count = 0;
    for (int j = 1; j < positions.length; j++) {
      count += positions[j] < positions[j - 1] ? 1 : 0;
    }
    return count;
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
