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

  /** What is drawn: at {@code steps[p]}, the bucket's mean loss and the moving average up to that step. */
  record Points(double[] steps, double[] means, double[] smoothed, int bucket) {}

  /** {@code losses[i]} is the loss of step i + 1; there must be at least one. */
  public static byte[] png(float[] losses) {
    Points points = points(losses);
    String raw = points.bucket() == 1 ? "loss per step" : "mean loss per " + points.bucket() + " steps";
    return CHART.png(List.of(new LineChart.Series(raw, points.steps(), points.means()),
        new LineChart.Series("smoothed", points.steps(), points.smoothed())));
  }

  /**
   * The moving average is of log(loss), the geometric mean: on the chart's log axis it then follows the curve. An
   * average of the losses themselves stays high long after the first steps, whose losses are 20–50 times the later
   * ones, and drew a plateau hundreds of steps after the real one.
   */
  static Points points(float[] losses) {
    int n = losses.length;
    int bucket = (n + MAX_POINTS - 1) / MAX_POINTS;
    int count = (n + bucket - 1) / bucket;
    double[] steps = new double[count];
    double[] means = new double[count];
    double[] smoothed = new double[count];
    double alpha = 1.0 / Math.max(1.0, n / 50.0);
    double logAverage = Math.log(losses[0]);
    for (int p = 0; p < count; p++) {
      int from = p * bucket;
      int to = Math.min(n, from + bucket);
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += losses[i];
        logAverage += alpha * (Math.log(losses[i]) - logAverage);
      }
      steps[p] = to;
      means[p] = sum / (to - from);
      smoothed[p] = Math.exp(logAverage);
    }
    return new Points(steps, means, smoothed, bucket);
  }
}
