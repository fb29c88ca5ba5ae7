package ddpm.evaluation.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassBalanceTest {
  private static final Probabilities THREE_IMAGES = new Probabilities(new float[] {
      0.7f, 0.2f, 0.1f,
      0.1f, 0.3f, 0.6f,
      0.2f, 0.2f, 0.6f}, 3);

  @Test
  void countsTheArgmaxAndAveragesTheTopProbability() {
    ClassBalance balance = ClassBalance.of(THREE_IMAGES);
    assertArrayEquals(new long[] {1, 0, 2}, balance.histogram());
    assertArrayEquals(new double[] {1 / 3.0, 0, 2 / 3.0}, balance.fractions(), 1e-12);
    assertEquals((0.7 + 0.6 + 0.6) / 3, balance.meanConfidence(), 1e-6);
  }

  @Test
  void accuracyComparesTheArgmaxWithTheLabels() {
    assertEquals(2 / 3.0, THREE_IMAGES.accuracy(new int[] {0, 2, 1}), 1e-12);
  }

  @Test
  void tiesGoToTheFirstClass() {
    assertEquals(0, new Probabilities(new float[] {0.5f, 0.5f}, 2).predicted(0));
  }
}
