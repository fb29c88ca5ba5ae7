package ddpm.evaluation.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How well a class-conditional generator draws the class it was asked for, as the classifier sees it: a sample
 * that looks like another digit, however good, counts against the model here and not in the Fréchet distance.
 *
 * @param accuracy the share of samples whose predicted class is their requested class
 * @param confidence the mean probability the classifier gives each sample's requested class
 * @param misses every sample predicted as another class than its requested one, in sample order, so that the
 *     images behind the accuracy can be looked at
 */
public record RequestedClassScores(PerClass accuracy, PerClass confidence, List<Miss> misses) {

  /**
   * One figure over every sample and over the samples of each requested class.
   *
   * @param perClass keyed by the requested class, holding only the classes that were requested
   */
  public record PerClass(double overall, SortedMap<Integer, Double> perClass) {}

  /**
   * A sample the classifier sees as another class.
   *
   * @param sample its 0-based index in the scored set
   * @param probability the probability the classifier gives {@code predicted}
   */
  public record Miss(int sample, int requested, int predicted, double probability) {}

  /** {@code requested[i]}: the class sample i was asked for, in [0, classes). */
  public static RequestedClassScores of(Probabilities probabilities, int[] requested) {
    int n = probabilities.count();
    if (requested.length != n) {
      throw new IllegalArgumentException(requested.length + " requested classes for " + n + " samples");
    }
    if (n == 0) {
      throw new IllegalArgumentException("no samples to score");
    }
    int classes = probabilities.classes();
    long[] asked = new long[classes];
    double[] hits = new double[classes];
    double[] probability = new double[classes];
    List<Miss> misses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = requested[i];
      if (k < 0 || k >= classes) {
        throw new IllegalArgumentException(
            "sample " + i + " was requested as class " + k + ", outside the classifier's [0, " + classes + ")");
      }
      asked[k]++;
      int predicted = probabilities.predicted(i);
      if (predicted == k) {
        hits[k]++;
      } else {
        misses.add(new Miss(i, k, predicted, probabilities.probability(i, predicted)));
      }
      probability[k] += probabilities.probability(i, k);
    }
    return new RequestedClassScores(perClass(hits, asked), perClass(probability, asked), List.copyOf(misses));
  }

  /** Each requested class's sum over its count, and all sums over all counts. */
  private static PerClass perClass(double[] sums, long[] counts) {
    SortedMap<Integer, Double> perClass = new TreeMap<>();
    double total = 0;
    long n = 0;
    for (int k = 0; k < sums.length; k++) {
      if (counts[k] > 0) {
        perClass.put(k, sums[k] / counts[k]);
        total += sums[k];
        n += counts[k];
      }
    }
    return new PerClass(total / n, perClass);
  }
}
