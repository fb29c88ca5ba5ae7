package ddpm.trainer.preview;

import ddpm.images.LineChart;
import java.util.List;

/**
 * The loss of every step so far as a PNG on a log axis: the per-step losses (averaged in buckets once there
 * are more than {@link #MAX_POINTS}, to keep long runs cheap to draw) and an exponential moving average
 * over about 2% of the run, which shows the trend through the noise of single batches.
 */
public final class LossCurve {
  static final int MAX_POINTS = 2000;
  private static final LineChart CHART = new LineChart("training loss", "step", "L_simple", true);

  private LossCurve() {}

  /** {@code losses[i]} is the loss of step i + 1; there must be at least one. */
  public static byte[] png(float[] losses) {
    int n = losses.length;
    int bucket = (n + MAX_POINTS - 1) / MAX_POINTS;
    int points = (n + bucket - 1) / bucket;
    double[] steps = new double[points];
    double[] means = new double[points];
    double[] smoothed = new double[points];
    double alpha = 1.0 / Math.max(1.0, n / 50.0);
    double average = losses[0];
    for (int p = 0; p < points; p++) {
      int from = p * bucket;
      int to = Math.min(n, from + bucket);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += losses[i];
        average += alpha * (losses[i] - average);
      }
      steps[p] = to;
      means[p] = sum / (to - from);
      smoothed[p] = average;
    }
    String raw = bucket == 1 ? "loss per step" : "mean loss per " + bucket + " steps";
    return CHART.png(List.of(new LineChart.Series(raw, steps, means), new LineChart.Series("smoothed", steps, smoothed)));
  }
}
