package ddpm.evaluation.core;

/**
 * The eigendecomposition A = V·diag(λ)·Vᵀ of a real symmetric matrix by cyclic Jacobi rotations: each
 * rotation zeroes one off-diagonal pair, and sweeps repeat until the off-diagonal mass is negligible.
 * Quadratic convergence makes this a handful of sweeps, O(n³) each, which is cheap for a few hundred
 * dimensions and needs no library.
 *
 * @param values the eigenvalues λ, in no particular order
 * @param vectors V, row-major: column k is the unit eigenvector of {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
  private static final int MAX_SWEEPS = 100;
  private static final double RELATIVE_TOLERANCE = 1e-15;

  public static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("row " + i + " has " + matrix[i].length + " entries, not " + n);
      }
      a[i] = matrix[i].clone();
      v[i][i] = 1;
    }
    double scale = frobeniusSquared(a);
    for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonalSquared(a) > RELATIVE_TOLERANCE * RELATIVE_TOLERANCE * scale;
        sweep++) {
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return new SymmetricEigen(values, v);
  }

  /**
   * A ← JᵀAJ and V ← VJ for the plane rotation J in (p, q) whose angle makes A[p][q] zero. The tangent is
   * the smaller root of t² + 2θt − 1 = 0, which keeps the rotation under 45° and the iteration stable;
   * hypot keeps θ² from overflowing when A[p][q] is tiny.
   */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  /**
   * f(A) = V·diag(f(λ))·Vᵀ with f = √ on the eigenvalues clipped at 0: a covariance estimated in floating
   * point can show eigenvalues of −1e−17 where the true value is 0, and those must not become NaN.
   */
  public double[][] sqrtPositiveSemidefinite() {
    int n = values.length;
    double[] roots = new double[n];
    for (int k = 0; k < n; k++) {
      roots[k] = Math.sqrt(Math.max(values[k], 0));
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += vectors[i][k] * roots[k] * vectors[j][k];
        }
        out[i][j] = sum;
        out[j][i] = sum;
      }
    }
    return out;
  }

  private static double frobeniusSquared(double[][] a) {
    double sum = 0;
    for (double[] row : a) {
      for (double x : row) {
        sum += x * x;
      }
    }
    return sum;
  }

  private static double offDiagonalSquared(double[][] a) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        if (i != j) {
          sum += a[i][j] * a[i][j];
        }
      }
    }
    return sum;
  }
}
