package ddpm.trainer.graph;

import static ddpm.trainer.graph.FloatArrays.gaussians;
import static ddpm.trainer.graph.FloatArrays.maxAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.layers.Params;
import ddpm.layers.Pass;
import ddpm.tensorflow.TensorFlowRuntime;
import ddpm.testing.Slow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

@Slow
class UNetTest {
  private static final ImageShape EIGHT = new ImageShape(8, 8, 1);

  /**
   * Zero-initialised layers (the output conv, each block's second conv, attention's output projection)
   * block every gradient behind them at first, by design; so the test moves all weights off their initial
   * values, then checks that a gradient reaches each of them, through every op of the network.
   */
  @Test
  void aGradientReachesEveryVariableThroughEveryLevelAndAttention() {
    EpsNetConfig config = new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 2, List.of(8, 4), 0.1).forImage(EIGHT);
    TensorFlowRuntime.init();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, 3);
      EpsNet net = EpsNet.build(params, config, EIGHT);
      Operand<TFloat32> xt = tf.constant(Shape.of(2, 8, 8, 1), DataBuffers.of(gaussians(128, 1)));
      Operand<TInt32> t = tf.constant(new int[] {3, 70});
      Operand<TInt64> batch = tf.constant(new long[] {2});
      Operand<TFloat32> eps = net.apply(Pass.training(tf, tf.constant(new long[] {1, 1}), batch), xt, t, null);
      Operand<TFloat32> target = tf.constant(Shape.of(2, 8, 8, 1), DataBuffers.of(gaussians(128, 2)));
      Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(eps, target), tf.constant(new int[] {0, 1, 2, 3}),
          Mean.keepDims(false));
      List<Variable<TFloat32>> variables = params.trainable();
      var gradients = tf.gradients(loss, variables);
      List<Op> perturb = new ArrayList<>();
      for (int i = 0; i < variables.size(); i++) {
        Variable<TFloat32> v = variables.get(i);
        Operand<TFloat32> noise = tf.random.statelessRandomNormal(tf.constant(v.shape().asArray()),
            tf.constant(new long[] {17, i}));
        perturb.add(tf.assign(v, tf.math.add(tf.identity(v), tf.math.mul(noise, tf.constant(0.1f)))));
      }

      try (Session session = new Session(graph)) {
        session.initialize();
        Session.Runner perturbing = session.runner();
        perturb.forEach(perturbing::addTarget);
        perturbing.run();
        Session.Runner runner = session.runner().fetch(eps);
        for (int i = 0; i < variables.size(); i++) {
          runner.fetch(gradients.dy(i));
        }
        try (Result result = runner.run()) {
          assertEquals(Shape.of(2, 8, 8, 1), result.get(0).shape(), "ε̂ is shaped like x_t");
          for (int i = 0; i < variables.size(); i++) {
            TFloat32 g = (TFloat32) result.get(i + 1);
            float[] values = new float[(int) g.shape().size()];
            g.copyTo(DataBuffers.of(values, false, false));
            assertTrue(maxAbs(values) > 0, "no gradient reaches " + variables.get(i).op().name());
          }
        }
      }
      assertTrue(variables.size() > 100, "two levels, two blocks each, attention at both: got " + variables.size());
    }
  }

  @Test
  void theDefaultNetworkFor28x28HasThreeLevelsAndAboutAMillionParameters() {
    ImageShape mnist = new ImageShape(28, 28, 1);
    EpsNetConfig config = EpsNetConfig.defaults().forImage(mnist);
    assertEquals(List.of(7), config.attentionResolutions(), "attention at the lowest level by default");
    TensorFlowRuntime.init();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, 1);
      EpsNet net = EpsNet.build(params, config, mnist);
      Operand<TFloat32> eps = net.apply(Pass.serving(tf, Map.of()),
          tf.constant(Shape.of(3, 28, 28, 1), DataBuffers.of(gaussians(3 * 784, 3))),
          tf.constant(new int[] {0, 5, 999}), null);
      long parameters = params.trainable().stream().mapToLong(v -> v.shape().size()).sum();
      assertTrue(parameters > 900_000 && parameters < 1_400_000, "parameters: " + parameters);
      try (Session session = new Session(graph)) {
        session.initialize();
        try (Result result = session.runner().fetch(eps).run()) {
          assertEquals(Shape.of(3, 28, 28, 1), result.get(0).shape());
        }
      }
    }
  }

  @Test
  void dropoutMasksDependOnTheFedSeedAndTheServingPassHasNone() {
    EpsNetConfig config = new EpsNetConfig(Architecture.UNET, 8, List.of(1, 2), 1, List.of(), 0.5).forImage(EIGHT);
    TensorFlowRuntime.init();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Params params = new Params(tf, 3);
      EpsNet net = EpsNet.build(params, config, EIGHT);
      Operand<TFloat32> xt = tf.constant(Shape.of(1, 8, 8, 1), DataBuffers.of(gaussians(64, 4)));
      Operand<TInt32> t = tf.constant(new int[] {10});
      Operand<TInt64> batch = tf.constant(new long[] {1});
      List<Op> openBranches = new ArrayList<>();
      for (Variable<TFloat32> v : params.trainable()) {
        if (v.op().name().endsWith("conv2/kernel") || v.op().name().endsWith("output/kernel")) {
          openBranches.add(tf.assign(v, tf.fill(tf.constant(v.shape().asArray()), tf.constant(0.05f))));
        }
      }
      Operand<TFloat32> stepOne = net.apply(Pass.training(tf, tf.constant(new long[] {9, 1}), batch), xt, t, null);
      Operand<TFloat32> stepOneAgain = net.apply(Pass.training(tf, tf.constant(new long[] {9, 1}), batch), xt, t, null);
      Operand<TFloat32> stepTwo = net.apply(Pass.training(tf, tf.constant(new long[] {9, 2}), batch), xt, t, null);
      Operand<TFloat32> served = net.apply(Pass.serving(tf, Map.of()), xt, t, null);
      Operand<TFloat32> servedAgain = net.apply(Pass.serving(tf, Map.of()), xt, t, null);
      try (Session session = new Session(graph)) {
        session.initialize();
        Session.Runner opening = session.runner();
        openBranches.forEach(opening::addTarget);
        opening.run();
        try (Result r = session.runner().fetch(stepOne).fetch(stepOneAgain).fetch(stepTwo).fetch(served)
            .fetch(servedAgain).run()) {
          assertEquals(values(r, 0), values(r, 1), "the same (seed, step) gives the same masks");
          assertNotEquals(values(r, 0), values(r, 2), "another step gives other masks");
          assertEquals(values(r, 3), values(r, 4), "serving is deterministic");
          assertNotEquals(values(r, 0), values(r, 3), "training drops activations, serving does not");
        }
      }
    }
  }

  private static List<Float> values(Result result, int index) {
    TFloat32 tensor = (TFloat32) result.get(index);
    float[] out = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(out, false, false));
    List<Float> list = new ArrayList<>();
    for (float v : out) {
      list.add(v);
    }
    return list;
  }
}
