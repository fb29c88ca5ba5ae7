package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

class ForwardFlopsTest {
  @BeforeAll
  static void init() {
    TensorFlowRuntime.init();
  }

  private static Operand<TFloat32> weights(Ops tf, long... shape) {
    Shape s = Shape.of(shape);
    return tf.constant(s, DataBuffers.of(new float[Math.toIntExact(s.size())], true, false));
  }

  /**
   * Counted by hand, per image of x [N, 8, 8, 3]: a 3×3 convolution to 4 channels, 8·8·4 outputs of 3·3·3
   * multiply-adds = 6,912; a 2×2 stride-2 convolution to 6 channels, 4·4·6 outputs of 2·2·4 = 1,536; a dense layer
   * 96 → 10 = 960; one 96 → 7 with a transposed left operand = 672; and a 4×64 by 64×4 attention-like batch product
   * = 16 outputs of 64 = 1,024: 11,104 multiply-adds, 22,208 FLOPs. A product of weights alone (once per call) and a
   * convolution nothing fetched depends on count nothing.
   */
  @Test
  void countsTwoFlopsPerMultiplyAddOfTheProductsTheOutputsNeedPerImage() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
      Operand<TFloat32> h = tf.nn.conv2d(x, weights(tf, 3, 3, 3, 4), List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> down = tf.nn.conv2d(h, weights(tf, 2, 2, 4, 6), List.of(1L, 2L, 2L, 1L), "VALID");
      tf.nn.conv2d(h, weights(tf, 3, 3, 4, 4), List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> flat = tf.reshape(down, tf.constant(new long[] {-1, 96}));
      Operand<TFloat32> dense = tf.math.add(tf.linalg.matMul(flat, weights(tf, 96, 10)),
          tf.linalg.matMul(weights(tf, 1, 5), weights(tf, 5, 10)));
      Operand<TFloat32> transposed = tf.linalg.matMul(tf.linalg.transpose(flat, tf.constant(new int[] {1, 0})),
          weights(tf, 96, 7), MatMul.transposeA(true));
      Operand<TFloat32> pixels = tf.reshape(h, tf.constant(new long[] {-1, 64, 4}));
      Operand<TFloat32> attention = tf.train.batchMatMul(pixels, pixels, TFloat32.class, BatchMatMul.adjX(true));
      assertArrayEquals(new long[] {-1, 4, 4}, attention.shape().asArray());

      ForwardFlops flops = ForwardFlops.of(graph,
          List.of(dense.op().name(), transposed.op().name() + ":0", attention.op().name()));

      assertEquals(2 * (6912 + 1536 + 960 + 672 + 1024), flops.perExample());
      assertEquals(Map.of("Conv2D", 2, "MatMul", 2, "BatchMatMulV3", 1), flops.counted());
    }
  }

  /**
   * The shipped mnist:4 (models/mnist/4/model.json: U-Net, 32 base channels, channel_mult [1, 2, 2], one residual
   * block per level, attention at 7×7), counted by hand from that architecture: its 51 convolutions do 188,711,936
   * multiply-adds per image; the timestep embedding, the residual blocks' timestep projections and GroupNorm's two
   * C×C group-averaging products per norm 376,848; attention's q·kᵀ and weights·v at 49 pixels and 64 channels,
   * 2·49·49·64 per layer, four layers, 1,229,312. Twice their sum.
   */
  @Test
  void countsTheShippedMnistAsItsArchitectureDoes() {
    ForwardFlops flops = ForwardFlops.ofSavedModel(Path.of("..", "models", "mnist", "4"), "serving_default");

    assertEquals(2L * (188_711_936 + 376_848 + 1_229_312), flops.perExample());
    assertEquals(Map.of("Conv2D", 51, "MatMul", 68, "BatchMatMulV3", 8), flops.counted());
  }

  @Test
  void aSavedModelWithoutTheSignatureFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ForwardFlops.ofSavedModel(Path.of("..", "models", "mnist", "4"), "predict"));

    assertTrue(e.getMessage().endsWith(": no signature predict, only [serving_default]"), e.getMessage());
  }

  @Test
  void aProductWhoseSharedDimensionIsUnknownFailsNamingTheOp() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<TFloat32> y = tf.withName("ragged").linalg.matMul(x, x);

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ForwardFlops.of(graph, List.of(y.op().name())));

      assertTrue(e.getMessage().startsWith("MatMul ragged: shape [-1, -1] is unknown"), e.getMessage());
    }
  }
}
