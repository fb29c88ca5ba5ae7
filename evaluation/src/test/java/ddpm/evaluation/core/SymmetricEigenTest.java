package ddpm.evaluation.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void twoByTwoHasItsClosedFormEigenvalues() {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2.
    SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    double[] values = eigen.values().clone();
    Arrays.sort(values);
    assertArrayEquals(new double[] {1, 3}, values, 1e-14);
  }

  @Test
  void reconstructsARandomSymmetricMatrixWithOrthonormalVectors() {
    int n = 40;
    double[][] a = Matrices.randomSymmetric(n, new SplittableRandom(3));
    SymmetricEigen eigen = SymmetricEigen.of(a);
    double[][] v = eigen.vectors();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double reconstructed = 0;
        double gram = 0;
        for (int k = 0; k < n; k++) {
          reconstructed += v[i][k] * eigen.values()[k] * v[j][k];
          gram += v[k][i] * v[k][j];
        }
        assertEquals(a[i][j], reconstructed, 1e-12, "A[" + i + "][" + j + "]");
        assertEquals(i == j ? 1 : 0, gram, 1e-12, "VᵀV[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void squareRootOfAPositiveSemidefiniteMatrixSquaresBackToIt() {
    int n = 30;
    double[][] b = Matrices.randomSymmetric(n, new SplittableRandom(5));
    double[][] a = Matrices.multiply(b, b);
    double[][] root = SymmetricEigen.of(a).sqrtPositiveSemidefinite();
    double[][] squared = Matrices.multiply(root, root);
    for (int i = 0; i < n; i++) {
      assertArrayEquals(a[i], squared[i], 1e-10, "row " + i);
    }
  }

  @Test
  void squareRootClipsRoundingNegativesToZero() {
    double[][] root = SymmetricEigen.of(new double[][] {{4, 0}, {0, -1e-17}}).sqrtPositiveSemidefinite();
    assertArrayEquals(new double[] {2, 0}, root[0], 0);
    assertArrayEquals(new double[] {0, 0}, root[1], 0);
  }
}
