package ddpm.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.tensorflow.TensorFlowRuntime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class WeightInitTest {
  private static final int FAN_IN = 50;
  private static final int OUTPUTS = 400;
  /** The standard deviation of a unit normal truncated at ±2. */
  private static final double TRUNCATED_STDDEV = 0.8796;

  @Test
  void heNormalHasVarianceTwoOverFanInTruncatedAtTwoStandardDeviations() {
    float[] w = draw(WeightInit.HE_NORMAL, 1);
    double stddev = Math.sqrt(2.0 / FAN_IN);
    assertEquals(TRUNCATED_STDDEV * stddev, standardDeviation(w), 0.02 * stddev);
    assertTrue(maxAbs(w) <= 2 * stddev * 1.0001, "max |w| " + maxAbs(w) + " beyond two standard deviations");
  }

  @Test
  void lecunNormalHasVarianceOneOverFanIn() {
    assertEquals(TRUNCATED_STDDEV * Math.sqrt(1.0 / FAN_IN), standardDeviation(draw(WeightInit.LECUN_NORMAL, 1)),
        0.02 * Math.sqrt(1.0 / FAN_IN));
  }

  @Test
  void zeroIsZeros() {
    assertEquals(0f, maxAbs(draw(WeightInit.ZERO, 1)));
  }

  @Test
  void theSeedAloneFixesTheDraw() {
    assertArrayEquals(draw(WeightInit.HE_NORMAL, 3), draw(WeightInit.HE_NORMAL, 3));
    assertFalse(Arrays.equals(draw(WeightInit.HE_NORMAL, 3), draw(WeightInit.HE_NORMAL, 4)));
  }

  private static float[] draw(WeightInit init, long seed) {
    TensorFlowRuntime.init();
    try (Graph graph = new Graph()) {
      Params params = new Params(Ops.create(graph), seed);
      Variable<TFloat32> w = init.create(params, "w", FAN_IN, FAN_IN, OUTPUTS);
      try (Session session = new Session(graph)) {
        session.initialize();
        return VariableValues.read(session, List.of(w.op().name())).get("w");
      }
    }
  }

  private static double standardDeviation(float[] values) {
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / values.length;
    return Math.sqrt(squares / values.length - mean * mean);
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
