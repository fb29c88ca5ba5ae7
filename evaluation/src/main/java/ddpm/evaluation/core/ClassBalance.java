package ddpm.evaluation.core;

/**
 * How generated images spread over the classes: a generator that collapses onto a few digits shows it
 * here even when each image looks fine, and low confidence flags images that look like no digit.
 *
 * @param histogram images per predicted class
 * @param fractions the histogram divided by the number of images
 * @param meanConfidence the mean of each image's largest class probability
 */
public record ClassBalance(long[] histogram, double[] fractions, double meanConfidence) {

  public static ClassBalance of(Probabilities probabilities) {
    int n = probabilities.count();
    if (n == 0) {
      throw new IllegalArgumentException("no images to count");
    }
    long[] histogram = new long[probabilities.classes()];
    double confidence = 0;
    for (int i = 0; i < n; i++) {
      histogram[probabilities.predicted(i)]++;
      confidence += probabilities.confidence(i);
    }
    double[] fractions = new double[histogram.length];
    for (int c = 0; c < histogram.length; c++) {
      fractions[c] = (double) histogram[c] / n;
    }
    return new ClassBalance(histogram, fractions, confidence / n);
  }
}
