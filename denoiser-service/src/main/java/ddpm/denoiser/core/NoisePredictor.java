package ddpm.denoiser.core;

import java.util.Arrays;
import java.util.List;

/**
 * Checks a request against its model's card and evaluates it. Every refusal is an
 * IllegalArgumentException whose message names the field ("x_t", "t") and what it may hold, so callers
 * learn how to fix the request.
 */
public final class NoisePredictor {
  private final ModelRegistry registry;
  private final int maxBatch;

  public NoisePredictor(ModelRegistry registry, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("max_batch: must be ≥ 1, got " + maxBatch);
    }
    this.registry = registry;
    this.maxBatch = maxBatch;
  }

  public NoisePrediction predict(NoiseRequest request) {
    checkBatch(request);
    LoadedModel model = registry.get(request.model(), request.version());
    VersionedCard card = model.card();
    checkImageShape(request.xtShape(), card);
    checkTimesteps(request.t(), card.card().timesteps());
    float[] eps = model.network().predict(request.xt(), request.t());
    return new NoisePrediction(card.name(), card.version(), eps, request.xtShape().clone());
  }

  /** What can be checked without the model: shapes agree, the batch size is allowed, x_t is finite. */
  private void checkBatch(NoiseRequest request) {
    long[] xtShape = request.xtShape();
    if (xtShape.length != 4) {
      throw new IllegalArgumentException("x_t: shape must be [N, H, W, C], got " + Arrays.toString(xtShape));
    }
    long n = xtShape[0];
    if (n < 1 || n > maxBatch) {
      throw new IllegalArgumentException("x_t: batch size N must be in [1, " + maxBatch + "], got " + n);
    }
    if (!Arrays.equals(request.tShape(), new long[] {n})) {
      throw new IllegalArgumentException("t: shape must be [N] = [" + n + "] to match x_t, got "
          + Arrays.toString(request.tShape()));
    }
    float[] xt = request.xt();
    for (int k = 0; k < xt.length; k++) {
      if (!Float.isFinite(xt[k])) {
        throw new IllegalArgumentException("x_t: values must be finite, element " + k + " is " + xt[k]);
      }
    }
  }

  private static void checkImageShape(long[] xtShape, VersionedCard card) {
    List<Integer> image = card.card().imageShape();
    if (xtShape[1] != image.get(0) || xtShape[2] != image.get(1) || xtShape[3] != image.get(2)) {
      throw new IllegalArgumentException("x_t: shape must be [N, " + image.get(0) + ", " + image.get(1) + ", "
          + image.get(2) + "] for model \"" + card.name() + "\" version " + card.version() + ", got "
          + Arrays.toString(xtShape));
    }
  }

  private static void checkTimesteps(int[] t, int timesteps) {
    for (int k = 0; k < t.length; k++) {
      if (t[k] < 0 || t[k] >= timesteps) {
        throw new IllegalArgumentException("t: every timestep must be in [0, " + (timesteps - 1) + "], element "
            + k + " is " + t[k]);
      }
    }
  }
}
