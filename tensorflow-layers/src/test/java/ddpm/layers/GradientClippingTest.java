package ddpm.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ddpm.tensorflow.TensorFlowRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class GradientClippingTest {
  @Test
  void aHugeGradientIsScaledDownToTheNormKeepingItsDirection() {
    // Global norm of (3e6, 4e6 | 0, 0) is 5e6; clipped to 2 it becomes (1.2, 1.6 | 0, 0).
    float[][] clipped = clip(2.0, new float[] {3e6f, 4e6f}, new float[][] {{0, 0}});
    assertArrayEquals(new float[] {1.2f, 1.6f}, clipped[0], 1e-6f);
    assertArrayEquals(new float[] {0, 0, 0, 0}, clipped[1], 0f);
  }

  @Test
  void gradientsWithinTheNormAreUnchanged() {
    float[][] clipped = clip(1.0, new float[] {0.3f, -0.4f}, new float[][] {{0.1f, 0.2f}});
    assertArrayEquals(new float[] {0.3f, -0.4f}, clipped[0], 1e-7f);
    assertArrayEquals(new float[] {0.1f, 0.2f, 0, 0}, clipped[1], 1e-7f);
  }

  /** Clips a vector and a 2×2 matrix (whose first row is given, second zero) together. */
  private static float[][] clip(double maxNorm, float[] vector, float[][] firstRow) {
    TensorFlowRuntime.init();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> a = tf.constant(vector);
      Operand<TFloat32> b = tf.constant(new float[][] {firstRow[0], {0, 0}});
      List<Operand<TFloat32>> out = GradientClipping.byGlobalNorm(tf, List.of(a, b), maxNorm);
      try (Result result = session.runner().fetch(out.get(0)).fetch(out.get(1)).run()) {
        float[][] values = new float[2][];
        for (int i = 0; i < 2; i++) {
          TFloat32 tensor = (TFloat32) result.get(i);
          values[i] = new float[(int) tensor.shape().size()];
          tensor.copyTo(DataBuffers.of(values[i], false, false));
        }
        return values;
      }
    }
  }
}
