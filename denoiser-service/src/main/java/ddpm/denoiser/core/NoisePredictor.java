package ddpm.denoiser.core;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a request against its model's card and queues it on that version's batcher. Every refusal is an
 * IllegalArgumentException whose message names the field ("x_t", "t") and what it may hold, so callers
 * learn how to fix the request.
 */
public final class NoisePredictor {
  private final ModelRegistry registry;

  public NoisePredictor(ModelRegistry registry) {
    this.registry = registry;
  }

  /** ε of every image of the request, once its batch has run. */
  public CompletableFuture<NoisePrediction> predict(NoiseRequest request) {
    checkBatch(request);
    return registry.submit(request.model(), request.version(), model -> queue(request, model));
  }

  /** Checks the request against the card of the version that serves it, then queues it on its batcher. */
  private static CompletableFuture<NoisePrediction> queue(NoiseRequest request, ServedModel model) {
    VersionedCard card = model.card();
    checkImageShape(request.xtShape(), card);
    checkTimesteps(request.t(), card.card().timesteps());
    CompletableFuture<float[]> eps = model.batcher().submit(request.xt(), request.t());
    return eps.thenApply(values -> new NoisePrediction(card.name(), card.version(), values, request.xtShape().clone()));
  }

  /** What can be checked without the model: shapes agree, the batch is not empty, x_t is finite. */
  private static void checkBatch(NoiseRequest request) {
    long[] xtShape = request.xtShape();
    if (xtShape.length != 4) {
      throw new IllegalArgumentException("x_t: shape must be [N, H, W, C], got " + Arrays.toString(xtShape));
    }
    long n = xtShape[0];
    if (n < 1) {
      throw new IllegalArgumentException("x_t: batch size N must be ≥ 1, got " + n);
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
