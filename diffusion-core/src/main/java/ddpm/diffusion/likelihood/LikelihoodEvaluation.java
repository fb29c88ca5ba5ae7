package ddpm.diffusion.likelihood;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.NoiseStreams;
import ddpm.diffusion.sampling.StepListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Evaluates the variational bound of a batch of images (docs/math.md §13): for every image and every network
 * timestep i, one x_i ~ q(x_i | x_0) and one ε_θ(x_i, i). The N·T pairs go to the model in calls of
 * {@code imagesPerCall}, timestep by timestep from T−1 down to 0 and image by image within a timestep, so a
 * call mixes timesteps (the model takes one per image) and every call but the last is full. Image i draws its
 * noise from the stream of (seed, imageOffset + i) ({@link NoiseStreams}, the stream the sampler draws that image's
 * x_T from), one block per timestep in that order, so its terms depend neither on the other images nor on the
 * call size.
 */
public final class LikelihoodEvaluation {
  private final VariationalBound bound;
  private final int imagesPerCall;

  public LikelihoodEvaluation(VariationalBound bound, int imagesPerCall) {
    if (imagesPerCall < 1) {
      throw new IllegalArgumentException("imagesPerCall must be ≥ 1, got " + imagesPerCall);
    }
    this.bound = bound;
    this.imagesPerCall = imagesPerCall;
  }

  /**
   * The bound of each image of {@code pixels} (N images of {@code shape}, 0..255 in NHWC order), in order.
   * After each call that completes timesteps it tells {@code listener} how many are done (and the last one
   * done); before each call it checks {@code cancelled} and the thread's interrupt flag, and stops with a
   * {@link CancellationException}.
   */
  public List<ImageLikelihood> evaluate(EpsModel model, ImageShape shape, byte[] pixels, long seed,
      long imageOffset, StepListener listener, BooleanSupplier cancelled) {
    int d = shape.size();
    if (pixels.length == 0 || pixels.length % d != 0) {
      throw new IllegalArgumentException(
          "images: " + pixels.length + " values are not a whole number of images of " + d);
    }
    int n = pixels.length / d;
    NoiseStreams.checkImageOffset(imageOffset, n);
    int timesteps = bound.timesteps();
    int choices = bound.variances().size();
    double[][] x0 = new double[n][d];
    byte[][] imagePixels = new byte[n][];
    NoiseStreams[] noise = new NoiseStreams[n];
    for (int i = 0; i < n; i++) {
      imagePixels[i] = Arrays.copyOfRange(pixels, i * d, (i + 1) * d);
      for (int j = 0; j < d; j++) {
        x0[i][j] = (imagePixels[i][j] & 0xFF) / 127.5 - 1;
      }
      noise[i] = new NoiseStreams(seed, imageOffset + i, 1, d);
    }
    double[][][] nats = new double[n][choices][timesteps];
    double[][] epsMse = new double[n][timesteps];
    double[][] x0Mse = new double[n][timesteps];
    long pairs = (long) n * timesteps;
    int reported = 0;
    for (long first = 0; first < pairs; first += imagesPerCall) {
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw new CancellationException("evaluation cancelled after " + reported + " of " + timesteps + " timesteps");
      }
      int size = (int) Math.min(imagesPerCall, pairs - first);
      int[] t = new int[size];
      int[] image = new int[size];
      double[][] z = new double[size][];
      float[] xt = new float[size * d];
      for (int b = 0; b < size; b++) {
        long pair = first + b;
        t[b] = timesteps - 1 - (int) (pair / n);
        image[b] = (int) (pair % n);
        z[b] = noise[image[b]].next();
        for (int j = 0; j < d; j++) {
          xt[b * d + j] = bound.noised(x0[image[b]][j], z[b][j], t[b]);
        }
      }
      float[] eps = model.predict(xt, t.clone());
      if (eps.length != xt.length) {
        throw new IllegalStateException("the denoiser returned " + eps.length + " values for " + xt.length + " inputs");
      }
      for (int b = 0; b < size; b++) {
        int i = image[b];
        VariationalBound.Terms terms = bound.terms(imagePixels[i], x0[i], z[b], xt, eps, b * d, t[b]);
        for (int v = 0; v < choices; v++) {
          nats[i][v][t[b]] = terms.nats()[v];
        }
        epsMse[i][t[b]] = terms.epsMse();
        x0Mse[i][t[b]] = terms.x0Mse();
      }
      int done = (int) ((first + size) / n);
      if (done > reported) {
        reported = done;
        listener.onStep(done, timesteps, timesteps - done);
      }
    }
    double bitsPerNat = 1 / (d * Math.log(2));
    List<ImageLikelihood> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double prior = bound.priorNats(x0[i]) * bitsPerNat;
      List<ImageBound> bounds = new ArrayList<>(choices);
      for (int v = 0; v < choices; v++) {
        double[] terms = nats[i][v];
        for (int s = 0; s < timesteps; s++) {
          terms[s] *= bitsPerNat;
        }
        bounds.add(new ImageBound(bound.variances().get(v), prior, terms));
      }
      out.add(new ImageLikelihood(List.copyOf(bounds), epsMse[i], x0Mse[i]));
    }
    return out;
  }
}
