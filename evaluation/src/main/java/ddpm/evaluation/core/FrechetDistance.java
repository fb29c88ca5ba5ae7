package ddpm.evaluation.core;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians, the quantity behind FID:
 * d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2·(Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
 * Writing the cross term with Σ₁^{1/2} on both sides keeps every matrix symmetric positive semidefinite,
 * so a symmetric eigendecomposition takes each square root; (Σ₁Σ₂)^{1/2} has the same trace but is not
 * symmetric.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  public static double between(GaussianStats a, GaussianStats b) {
    int n = a.dimensions();
    if (b.dimensions() != n) {
      throw new IllegalArgumentException("features of " + n + " and " + b.dimensions() + " dimensions");
    }
    double meanTerm = 0;
    double traces = 0;
    for (int i = 0; i < n; i++) {
      double d = a.mean()[i] - b.mean()[i];
      meanTerm += d * d;
      traces += a.covariance()[i][i] + b.covariance()[i][i];
    }
    double[][] rootA = SymmetricEigen.of(a.covariance()).sqrtPositiveSemidefinite();
    double[][] cross = symmetricPart(multiply(multiply(rootA, b.covariance()), rootA));
    double crossTrace = 0;
    for (double lambda : SymmetricEigen.of(cross).values()) {
      crossTrace += Math.sqrt(Math.max(lambda, 0));
    }
    // Rounding can leave −1e−13 for identical inputs; a distance is never negative.
    return Math.max(meanTerm + traces - 2 * crossTrace, 0);
  }

  private static double[][] multiply(double[][] x, double[][] y) {
    int n = x.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        double xik = x[i][k];
        for (int j = 0; j < n; j++) {
          out[i][j] += xik * y[k][j];
        }
      }
    }
    return out;
  }

  /** (M + Mᵀ)/2: the product is symmetric in exact arithmetic, and Jacobi assumes it is. */
  private static double[][] symmetricPart(double[][] m) {
    int n = m.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = (m[i][j] + m[j][i]) / 2;
      }
    }
    return out;
  }
}
