package ddpm.evaluation.core;

/**
 * The mean and covariance of a set of feature vectors, in double: the Gaussian that the Fréchet distance
 * compares. The covariance divides by n − 1, as NumPy's {@code np.cov} does in the reference FID code.
 */
public record GaussianStats(double[] mean, double[][] covariance) {

  public GaussianStats {
    if (covariance.length != mean.length) {
      throw new IllegalArgumentException("a mean of " + mean.length + " dimensions with a "
          + covariance.length + "-row covariance");
    }
  }

  /** {@code features} holds {@code features.length / dimensions} vectors, one after the other. */
  public static GaussianStats of(float[] features, int dimensions) {
    if (dimensions <= 0 || features.length % dimensions != 0) {
      throw new IllegalArgumentException(features.length + " values are not whole vectors of " + dimensions);
    }
    int n = features.length / dimensions;
    if (n < 2) {
      throw new IllegalArgumentException("a covariance needs at least 2 vectors, got " + n);
    }
    double[] mean = new double[dimensions];
    for (int row = 0; row < n; row++) {
      for (int i = 0; i < dimensions; i++) {
        mean[i] += features[row * dimensions + i];
      }
    }
    for (int i = 0; i < dimensions; i++) {
      mean[i] /= n;
    }
    double[][] covariance = new double[dimensions][dimensions];
    double[] centred = new double[dimensions];
    for (int row = 0; row < n; row++) {
      for (int i = 0; i < dimensions; i++) {
        centred[i] = features[row * dimensions + i] - mean[i];
      }
      for (int i = 0; i < dimensions; i++) {
        double ci = centred[i];
        double[] covRow = covariance[i];
        for (int j = i; j < dimensions; j++) {
          covRow[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < dimensions; i++) {
      for (int j = i; j < dimensions; j++) {
        covariance[i][j] /= n - 1;
        covariance[j][i] = covariance[i][j];
      }
    }
    return new GaussianStats(mean, covariance);
  }

  public int dimensions() {
    return mean.length;
  }
}
