package ddpm.cli.bench;

import ddpm.denoiser.engine.EpsNetwork;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.repository.ModelCard;
import java.util.Arrays;
import java.util.Random;

/**
 * The measurements of {@code ddpm device-bench}, on loaded networks and in this JVM (no RPC): how far one device's
 * (or precision's) ε is from another's for the same inputs, images/s at a batch size, and calls/s of any call (a
 * matrix product measuring the peak).
 */
final class DeviceBench {
  /** The fewest engine calls and seconds one images/s figure is measured over. */
  static final int MIN_CALLS = 3;
  static final double MIN_SECONDS = 1.0;

  /**
   * One engine call's inputs: x_t drawn from N(0, I) with {@code seed}, the timesteps spread evenly over [0, T − 1]
   * so that every noise level is compared, and any extra inputs zero (as the denoiser's warm-up feeds them).
   */
  record Inputs(int images, float[] xt, int[] t, ExtraInputs extra) {
    static Inputs of(ModelCard card, EpsNetwork network, int images, long seed) {
      Random random = new Random(seed);
      float[] xt = new float[images * card.height() * card.width() * card.channels()];
      for (int i = 0; i < xt.length; i++) {
        xt[i] = (float) random.nextGaussian();
      }
      int[] t = new int[images];
      for (int i = 0; i < images; i++) {
        t[i] = (int) ((long) i * (card.timesteps() - 1) / Math.max(1, images - 1));
      }
      return new Inputs(images, xt, t, ExtraInputs.zeros(network.extraInputs(), images));
    }

    float[] eps(EpsNetwork network) {
      return network.predict(xt, t, extra);
    }
  }

  /**
   * The largest and the root-mean-square difference between two ε for the same inputs, and that RMS relative to
   * the reference's own (0 when both are zero).
   */
  record Difference(double maxAbs, double rms, double relativeRms) {
    static Difference between(float[] reference, float[] other) {
      double max = 0;
      double squares = 0;
      double referenceSquares = 0;
      for (int i = 0; i < reference.length; i++) {
        double d = Math.abs((double) other[i] - reference[i]);
        max = Math.max(max, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        squares += d * d;
        referenceSquares += (double) reference[i] * reference[i];
      }
      double relative = squares == 0 ? 0 : Math.sqrt(squares / referenceSquares);
      return new Difference(max, Math.sqrt(squares / reference.length), relative);
    }
  }

  private DeviceBench() {}

  /**
   * Images per second of engine calls of {@code inputs}, over at least {@link #MIN_CALLS} calls and
   * {@link #MIN_SECONDS} seconds; the caller has warmed the network up at this batch size.
   */
  static double imagesPerSecond(EpsNetwork network, Inputs inputs) {
    return callsPerSecond(() -> inputs.eps(network)) * inputs.images();
  }

  /** Calls per second of {@code call}, over at least {@link #MIN_CALLS} calls and {@link #MIN_SECONDS} seconds. */
  static double callsPerSecond(Runnable call) {
    int calls = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      call.run();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (calls < MIN_CALLS || elapsed < MIN_SECONDS * 1e9);
    return calls / (elapsed / 1e9);
  }

  /** The median of some measurements (the mean of the middle two of an even count). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
