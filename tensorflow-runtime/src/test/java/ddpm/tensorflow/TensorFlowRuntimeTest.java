package ddpm.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class TensorFlowRuntimeTest {
  @BeforeAll
  static void init() {
    TensorFlowRuntime.init();
  }

  @Test
  void initIsIdempotentAndPointsAtTheNatives() {
    Path dir = TensorFlowRuntime.init();
    assertSame(dir, TensorFlowRuntime.init());
    assertTrue(Files.isRegularFile(dir.resolve("libjnitensorflow.so")), dir + " lacks libjnitensorflow.so");
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }

  @Test
  void djlTensorFlowEngineRunsOffline() {
    Engine engine = Engine.getEngine("TensorFlow");
    assertEquals("TensorFlow", engine.getEngineName());
    try (NDManager manager = engine.newBaseManager()) {
      NDArray sum = manager.create(new float[] {1f, 2f}).add(manager.create(new float[] {3f, 4f}));
      assertEquals(4f, sum.getFloat(0));
      assertEquals(6f, sum.getFloat(1));
    }
  }

  @Test
  void tensorFlowJavaGraphRunsInTheSameJvm() {
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var product = tf.math.mul(tf.constant(3f), tf.constant(5f));
      try (TFloat32 result = (TFloat32) session.runner().fetch(product).run().get(0)) {
        assertEquals(15f, result.getFloat());
      }
    }
  }
}
