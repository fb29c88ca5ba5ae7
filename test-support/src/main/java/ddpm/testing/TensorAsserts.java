package ddpm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison of float arrays that reports the first offending index. */
public final class TensorAsserts {
  private TensorAsserts() {}

  /** Fails unless |expected[k] − actual[k]| ≤ atol + rtol · |expected[k]| for every k. */
  public static void assertAllClose(float[] expected, float[] actual, double atol, double rtol) {
    assertEquals(expected.length, actual.length, "length");
    for (int k = 0; k < expected.length; k++) {
      double tolerance = atol + rtol * Math.abs(expected[k]);
      if (!(Math.abs(expected[k] - actual[k]) <= tolerance)) {
        fail("element " + k + ": expected " + expected[k] + " but was " + actual[k] + " (tolerance " + tolerance + ")");
      }
    }
  }
}
