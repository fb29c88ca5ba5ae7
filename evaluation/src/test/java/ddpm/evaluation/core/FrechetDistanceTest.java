package ddpm.evaluation.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
  private static final int N = 16;

  @Test
  void diagonalCovariancesGiveTheSumOfSquaredRootDifferences() {
    SplittableRandom random = new SplittableRandom(1);
    double[] a = positive(random);
    double[] b = positive(random);
    double expected = 0;
    for (int i = 0; i < N; i++) {
      expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
    }
    double distance = FrechetDistance.between(new GaussianStats(new double[N], Matrices.diagonal(a)),
        new GaussianStats(new double[N], Matrices.diagonal(b)));
    assertEquals(expected, distance, 1e-12);
  }

  @Test
  void aCommonRotationOfTheCovariancesChangesNothing() {
    SplittableRandom random = new SplittableRandom(2);
    double[] a = positive(random);
    double[] b = positive(random);
    double[][] q = Matrices.randomOrthogonal(N, random);
    double diagonal = FrechetDistance.between(new GaussianStats(new double[N], Matrices.diagonal(a)),
        new GaussianStats(new double[N], Matrices.diagonal(b)));
    double rotated = FrechetDistance.between(new GaussianStats(new double[N], Matrices.rotatedDiagonal(q, a)),
        new GaussianStats(new double[N], Matrices.rotatedDiagonal(q, b)));
    assertEquals(diagonal, rotated, 1e-10);
  }

  @Test
  void shiftedMeansAddTheSquaredShift() {
    SplittableRandom random = new SplittableRandom(3);
    double[][] covariance = Matrices.rotatedDiagonal(Matrices.randomOrthogonal(N, random), positive(random));
    double[] mu1 = new double[N];
    double[] mu2 = new double[N];
    double shift = 0;
    for (int i = 0; i < N; i++) {
      mu1[i] = random.nextDouble(-2, 2);
      mu2[i] = mu1[i] + i * 0.1;
      shift += (i * 0.1) * (i * 0.1);
    }
    assertEquals(shift, FrechetDistance.between(new GaussianStats(mu1, covariance), new GaussianStats(mu2, covariance)),
        1e-10);
  }

  @Test
  void identicalSetsAreAtDistanceZero() {
    float[] features = new float[500 * N];
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) random.nextDouble(-1, 1) * (i % N);
    }
    GaussianStats stats = GaussianStats.of(features, N);
    assertEquals(0, FrechetDistance.between(stats, stats), 1e-10);
  }

  /**
   * For 2×2 matrices, (tr √M)² = tr M + 2√det M, so tr(Σ₁^{1/2}Σ₂Σ₁^{1/2})^{1/2} equals
   * √(tr Σ₁Σ₂ + 2√(det Σ₁ det Σ₂)): a closed form for covariances that do not commute.
   */
  @Test
  void nonCommutingTwoByTwoCovariancesMatchTheirClosedForm() {
    double[][] s1 = {{2.0, 0.7}, {0.7, 1.0}};
    double[][] s2 = {{0.5, -0.3}, {-0.3, 3.0}};
    double[] mu1 = {0.2, -1.0};
    double[] mu2 = {1.0, 0.5};
    double trProduct = s1[0][0] * s2[0][0] + 2 * s1[0][1] * s2[1][0] + s1[1][1] * s2[1][1];
    double det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0];
    double det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0];
    double expected = Math.pow(mu1[0] - mu2[0], 2) + Math.pow(mu1[1] - mu2[1], 2)
        + s1[0][0] + s1[1][1] + s2[0][0] + s2[1][1] - 2 * Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
    GaussianStats a = new GaussianStats(mu1, s1);
    GaussianStats b = new GaussianStats(mu2, s2);
    assertEquals(expected, FrechetDistance.between(a, b), 1e-12);
    assertEquals(expected, FrechetDistance.between(b, a), 1e-12);
  }

  @Test
  void statsUseTheUnbiasedCovariance() {
    GaussianStats stats = GaussianStats.of(new float[] {1, 2, 3, 6, 5, 4}, 2);
    assertArrayEquals(new double[] {3, 4}, stats.mean(), 1e-12);
    assertArrayEquals(new double[] {4, 2}, stats.covariance()[0], 1e-12);
    assertArrayEquals(new double[] {2, 4}, stats.covariance()[1], 1e-12);
  }

  @Test
  void refusesMismatchedOrTooFewVectors() {
    assertThrows(IllegalArgumentException.class, () -> GaussianStats.of(new float[] {1, 2}, 2));
    assertThrows(IllegalArgumentException.class, () -> GaussianStats.of(new float[] {1, 2, 3}, 2));
    GaussianStats two = GaussianStats.of(new float[] {1, 2, 3, 4}, 2);
    GaussianStats one = GaussianStats.of(new float[] {1, 2}, 1);
    assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(two, one));
  }

  private static double[] positive(SplittableRandom random) {
    double[] d = new double[N];
    for (int i = 0; i < N; i++) {
      d[i] = random.nextDouble(0.01, 4);
    }
    return d;
  }
}
