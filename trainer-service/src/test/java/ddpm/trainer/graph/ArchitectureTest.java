package ddpm.trainer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.tensorflow.TensorFlowRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ArchitectureTest {
  private static final ImageShape EIGHT = new ImageShape(8, 8, 1);

  @Test
  void everyArchitectureBuildsANetworkWhoseEpsIsShapedLikeXt() {
    TensorFlowRuntime.init();
    for (Architecture architecture : Architecture.values()) {
      EpsNetConfig config = new EpsNetConfig(architecture, 4, null, null, null, null).forImage(EIGHT);
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        EpsNet net = EpsNet.build(new Params(tf, 1), config, EIGHT);
        Operand<TFloat32> xt = tf.zeros(tf.constant(new long[] {2, 8, 8, 1}), TFloat32.class);
        Operand<TFloat32> eps = net.apply(Pass.direct(tf), xt, tf.constant(new int[] {0, 9}), null);
        try (Session session = new Session(graph)) {
          session.initialize();
          try (Result result = session.runner().fetch(eps).run()) {
            assertEquals(Shape.of(2, 8, 8, 1), result.get(0).shape(), architecture.wireName());
          }
        }
      }
    }
  }

  @Test
  void anEmptyNameIsTheDefaultAndAnUnknownOneIsRefusedListingTheTable() {
    assertEquals(Architecture.DEFAULT, Architecture.parse("", "network.architecture"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Architecture.parse("transformer", "network.architecture"));
    assertTrue(e.getMessage().startsWith("network.architecture: must be one of " + Architecture.names()),
        e.getMessage());
  }

  @Test
  void anArchitectureWithoutLevelsRefusesTheLevelFieldsAndHoldsNoneOfThem() {
    Architecture flat = Architecture.CONV;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EpsNetConfig(flat, 8, null, 2, null, null));
    assertTrue(e.getMessage().startsWith("network.num_res_blocks: only the architectures with levels"), e.getMessage());
    EpsNetConfig config = new EpsNetConfig(flat, 8, List.of(), 0, List.of(), null);
    assertNull(config.channelMult());
    assertEquals(flat.defaultDropout(), config.dropout());
  }
}
