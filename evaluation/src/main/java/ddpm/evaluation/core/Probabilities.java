package ddpm.evaluation.core;

/** A classifier's class probabilities for a batch of images: row i holds image i's {@code classes} values. */
public record Probabilities(float[] values, int classes) {

  public Probabilities {
    if (classes <= 0 || values.length % classes != 0) {
      throw new IllegalArgumentException(values.length + " values are not whole rows of " + classes + " classes");
    }
  }

  public int count() {
    return values.length / classes;
  }

  /** The predicted class of image {@code i}: the first of its most probable classes. */
  public int predicted(int i) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (values[i * classes + c] > values[i * classes + best]) {
        best = c;
      }
    }
    return best;
  }

  /** The probability of image {@code i}'s predicted class. */
  public float confidence(int i) {
    return probability(i, predicted(i));
  }

  /** The probability the classifier gives image {@code i} of being class {@code c}. */
  public float probability(int i, int c) {
    return values[i * classes + c];
  }

  /** The fraction of images whose predicted class is their label. */
  public double accuracy(int[] labels) {
    if (labels.length != count()) {
      throw new IllegalArgumentException(labels.length + " labels for " + count() + " images");
    }
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predicted(i) == labels[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }
}
