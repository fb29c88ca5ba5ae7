package ddpm.evaluation.core;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How well a class-conditional generator draws the class it was asked for, as the classifier sees it: a sample
 * that looks like another digit, however good, counts against the model here and not in the Fréchet distance.
 *
 * @param accuracy the share of samples whose predicted class is their requested class
 * @param confidence the mean probability the classifier gives each sample's requested class
 */
public record RequestedClassScores(PerClass accuracy, PerClass confidence) {

  /**
   * One figure over every sample and over the samples of each requested class.
   *
   * @param perClass keyed by the requested class, holding only the classes that were requested
   */
  public record PerClass(double overall, SortedMap<Integer, Double> perClass) {}

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
    for (int i = 0; i < n; i++) {
      int k = requested[i];
      if (k < 0 || k >= classes) {
        throw new IllegalArgumentException(
            "sample " + i + " was requested as class " + k + ", outside the classifier's [0, " + classes + ")");
      }
      asked[k]++;
      if (probabilities.predicted(i) == k) {
        hits[k]++;
      }
      probability[k] += probabilities.probability(i, k);
    }
    return new RequestedClassScores(perClass(hits, asked), perClass(probability, asked));
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
