package ddpm.denoiser.core;

import ddpm.diffusion.Echo;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.repository.EpsContract;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a request against its model's card and the extra inputs its network declares, and queues it on that
 * version's batcher. Every refusal is an IllegalArgumentException whose message names the field ("x_t", "t",
 * {@code inputs["y"]}) and what it may hold, so callers learn how to fix the request. x_t must be within
 * ±{@link EpsContract#MAX_ABS_X_T}, and an ε that is not finite all the same is never answered: it fails the call
 * with IllegalStateException naming x_t.
 */
public final class NoisePredictor {
  private final ModelRegistry registry;
  private final int maxImagesPerCall;

  /** Calls of more than {@code maxImagesPerCall} images are refused, whatever the model. */
  public NoisePredictor(ModelRegistry registry, int maxImagesPerCall) {
    this.registry = registry;
    this.maxImagesPerCall = maxImagesPerCall;
  }

  /** ε of every image of the request, once its batch has run. */
  public CompletableFuture<NoisePrediction> predict(NoiseRequest request) {
    checkBatch(request);
    // A bad request, not a busy denoiser: the same call is refused again however long its caller waits.
    if (request.xtShape()[0] > maxImagesPerCall) {
      throw new IllegalArgumentException("x_t: batch size N must be at most " + maxImagesPerCall
          + " images per call, got " + request.xtShape()[0] + "; split the batch into several calls");
    }
    return registry.submit(request.model(), request.version(), model -> queue(request, model));
  }

  /** Checks the request against the version that serves it, then queues it on its batcher. */
  private static CompletableFuture<NoisePrediction> queue(NoiseRequest request, ServedModel model) {
    VersionedCard card = model.card();
    checkImageShape(request.xtShape(), card);
    checkTimesteps(request.t(), card.card().timesteps());
    ExtraInputs inputs = checkInputs(request.inputs(), request.t().length, model);
    CompletableFuture<float[]> eps = model.batcher().submit(request.xt(), request.t(), inputs);
    return eps.thenApply(values -> {
      checkEps(values, request, card);
      return new NoisePrediction(card.name(), card.version(), values, request.xtShape().clone());
    });
  }

  /** What can be checked without the model: shapes agree, the batch is not empty, x_t is finite and in range. */
  private static void checkBatch(NoiseRequest request) {
    long[] xtShape = request.xtShape();
    if (xtShape.length != 4) {
      throw new IllegalArgumentException("x_t: shape must be [N, H, W, C], got " + Echo.shape(xtShape));
    }
    long n = xtShape[0];
    if (n < 1) {
      throw new IllegalArgumentException("x_t: batch size N must be ≥ 1, got " + n);
    }
    if (!Arrays.equals(request.tShape(), new long[] {n})) {
      throw new IllegalArgumentException("t: shape must be [N] = [" + n + "] to match x_t, got "
          + Echo.shape(request.tShape()));
    }
    EpsContract.checkXt(request.xt(), EpsContract.X_T);
  }

  private static void checkFinite(float[] values, String field) {
    for (int k = 0; k < values.length; k++) {
      if (!Float.isFinite(values[k])) {
        throw new IllegalArgumentException(field + ": values must be finite, element " + k + " is " + values[k]);
      }
    }
  }

  /** A network may still overflow on an x_t in range; a non-finite ε is a refusal, never an answer. */
  private static void checkEps(float[] eps, NoiseRequest request, VersionedCard card) {
    int imageValues = eps.length / request.t().length;
    for (int k = 0; k < eps.length; k++) {
      if (!Float.isFinite(eps[k])) {
        int image = k / imageValues;
        throw new IllegalStateException("x_t: model \"" + card.name() + "\" version " + card.version()
            + " returned a non-finite ε (" + eps[k] + ") for image " + image + " at t = " + request.t()[image]
            + "; this network cannot take that x_t, although its values are within ±" + (int) EpsContract.MAX_ABS_X_T);
      }
    }
  }

  /** The request's extra inputs once they are exactly those the version's network declares, for n images. */
  private static ExtraInputs checkInputs(Map<String, ExtraInput> given, int n, ServedModel model) {
    VersionedCard card = model.card();
    String version = "model \"" + card.name() + "\" version " + card.version();
    Map<String, InputSpec> declared = model.network().extraInputs();
    for (String name : given.keySet()) {
      if (!declared.containsKey(name)) {
        throw new IllegalArgumentException(NoiseRequest.inputField(name) + ": " + version
            + " takes no such input; its extra inputs are " + declared.keySet());
      }
    }
    declared.forEach((name, spec) -> {
      String field = NoiseRequest.inputField(name);
      ExtraInput input = given.get(name);
      if (input == null) {
        throw new IllegalArgumentException(field + ": missing; " + version + " needs it, " + spec);
      }
      if (input.spec().dtype() != spec.dtype()) {
        throw new IllegalArgumentException(field + ": dtype must be " + spec.dtype() + ", got " + input.spec().dtype());
      }
      if (!input.spec().shape().equals(spec.shape()) || input.images() != n) {
        throw new IllegalArgumentException(field + ": shape must be " + spec.batchShape("N") + " = "
            + spec.batchShape(n) + " for " + version + ", got " + Echo.shape(input.batchShape()));
      }
      if (spec.dtype() == InputSpec.Dtype.FLOAT32) {
        checkFinite(input.floats(), field);
      }
    });
    return ExtraInputs.of(given);
  }

  private static void checkImageShape(long[] xtShape, VersionedCard card) {
    List<Integer> image = card.card().imageShape();
    if (xtShape[1] != image.get(0) || xtShape[2] != image.get(1) || xtShape[3] != image.get(2)) {
      throw new IllegalArgumentException("x_t: shape must be [N, " + image.get(0) + ", " + image.get(1) + ", "
          + image.get(2) + "] for model \"" + card.name() + "\" version " + card.version() + ", got "
          + Echo.shape(xtShape));
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
