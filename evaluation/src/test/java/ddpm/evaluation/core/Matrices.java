package ddpm.evaluation.core;

import java.util.SplittableRandom;

/** Test matrices and the little algebra the closed forms need. */
final class Matrices {
  private Matrices() {}

  static double[][] randomSymmetric(int n, SplittableRandom random) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = random.nextDouble(-1, 1);
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  /** A random rotation: the eigenvectors of a random symmetric matrix are orthonormal. */
  static double[][] randomOrthogonal(int n, SplittableRandom random) {
    return SymmetricEigen.of(randomSymmetric(n, random)).vectors();
  }

  static double[][] multiply(double[][] x, double[][] y) {
    int n = x.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          out[i][j] += x[i][k] * y[k][j];
        }
      }
    }
    return out;
  }

  /** Q·diag(d)·Qᵀ. */
  static double[][] rotatedDiagonal(double[][] q, double[] d) {
    int n = d.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          out[i][j] += q[i][k] * d[k] * q[j][k];
        }
      }
    }
    return out;
  }

  static double[][] diagonal(double[] d) {
    return rotatedDiagonal(identity(d.length), d);
  }

  static double[][] identity(int n) {
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      out[i][i] = 1;
    }
    return out;
  }
}
