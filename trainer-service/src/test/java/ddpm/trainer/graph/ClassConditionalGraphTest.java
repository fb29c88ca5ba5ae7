package ddpm.trainer.graph;

import static ddpm.trainer.graph.FloatArrays.gaussians;
import static ddpm.trainer.graph.FloatArrays.maxAbs;
import static ddpm.trainer.graph.FloatArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.layers.SessionThreads;
import ddpm.repository.EpsContract;
import ddpm.tensorflow.Precision;
import ddpm.testing.Slow;
import ddpm.trainer.core.BatchSampler;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.data.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature.TensorDescription;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The class-conditional network (Ho &amp; Salimans 2022) on the 8×8 digits: its class rows start at zero, so that
 * a run started from an unconditional version serves exactly that version's ε whatever the label; training moves
 * them, and then ε depends on the label; the SavedModel takes the labels as input y.
 */
@Slow
class ClassConditionalGraphTest {
  private static final int T = 1000;
  private static final int CLASSES = 10;
  private static final EpsNetConfig CONDITIONAL = EpsNetConfig.conv(32).withClasses(CLASSES);
  private static final int[] TIMESTEPS = {0, 1, 250, 998, 999};

  private final Dataset digits = Dataset.of(new Datasets(Path.of("data")).source("digits").load(Split.TRAIN), true);
  private final NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, T);
  private final float[] xt = gaussians(TIMESTEPS.length * 64, 3);

  @Test
  void zeroClassRowsComputeExactlyTheUnconditionalNetworksEpsForEveryLabel(@TempDir Path dir) throws Exception {
    Path unconditional = dir.resolve("unconditional");
    float[] expected;
    try (TrainingGraph graph = graph(EpsNetConfig.conv(32), 11)) {
      BatchSampler sampler = new BatchSampler(digits, T, 11);
      for (int step = 1; step <= 20; step++) {
        Batch b = sampler.batch(step, 16);
        graph.trainStep(b.x0(), b.t(), b.eps(), null, step, 1e-3);
      }
      expected = graph.predict(xt, TIMESTEPS);
      export(graph, unconditional);
    }
    assertTrue(maxAbs(expected) > 1e-3, "the trained network should not predict 0 everywhere");

    Path conditional = dir.resolve("conditional");
    // Another seed, so that nothing matches unless startFrom set it.
    try (TrainingGraph graph = graph(CONDITIONAL, 12)) {
      graph.startFrom(unconditional);
      Map<String, float[]> started = graph.variableValues();
      assertEquals(0f, maxAbs(started.get(TrainingGraph.CLASS_ROWS)), "the class rows start at zero");
      assertEquals(0f, maxAbs(started.get(TrainingGraph.CLASS_ROWS + "_ema")), "and so does their average");
      assertArrayEquals(expected, graph.predict(xt, TIMESTEPS), 0f, "the preview's null label");
      export(graph, conditional);
    }
    for (int[] labels : new int[][] {{0, 3, 9, CLASSES, 5}, {7, 7, 7, 7, 7}}) {
      assertArrayEquals(expected, served(conditional, labels), 0f, "labels " + Arrays.toString(labels));
    }
  }

  @Test
  void trainingWithLabelsMovesTheClassRowsAndMakesEpsDependOnTheLabel(@TempDir Path dir) throws Exception {
    try (TrainingGraph graph = graph(CONDITIONAL, 13)) {
      BatchSampler sampler = BatchSampler.classConditional(digits, T, 13, CLASSES, 0.1);
      Batch first = sampler.batch(1, 16);
      assertThrows(IllegalArgumentException.class,
          () -> graph.trainStep(first.x0(), first.t(), first.eps(), null, 1, 1e-3), "labels are required");
      for (int step = 1; step <= 20; step++) {
        Batch b = sampler.batch(step, 16);
        graph.trainStep(b.x0(), b.t(), b.eps(), b.y(), step, 1e-3);
      }
      assertTrue(maxAbs(graph.variableValues().get(TrainingGraph.CLASS_ROWS + "_ema")) > 1e-4,
          "the served class rows moved");
      export(graph, dir);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG)) {
      TensorDescription y = bundle.function(EpsContract.SIGNATURE_KEY).signature().getInputs().get(EpsContract.Y);
      assertEquals(DataType.DT_INT32, y.dataType);
      assertArrayEquals(new long[] {-1}, y.shape.asArray());
    }
    float[] zeros = served(dir, new int[] {0, 0, 0, 0, 0});
    float[] ones = served(dir, new int[] {1, 1, 1, 1, 1});
    float[] none = served(dir, new int[] {CLASSES, CLASSES, CLASSES, CLASSES, CLASSES});
    assertTrue(maxAbsDifference(zeros, ones) > 1e-5, "class 0 and class 1 give the same ε");
    assertTrue(maxAbsDifference(zeros, none) > 1e-5, "class 0 and the null label give the same ε");
  }

  @Test
  void anUnconditionalNetworkRefusesLabels() {
    try (TrainingGraph graph = graph(EpsNetConfig.conv(32), 5)) {
      Batch b = BatchSampler.classConditional(digits, T, 5, CLASSES, 0.1).batch(1, 4);
      assertThrows(IllegalArgumentException.class, () -> graph.trainStep(b.x0(), b.t(), b.eps(), b.y(), 1, 1e-3));
    }
  }

  private TrainingGraph graph(EpsNetConfig config, long seed) {
    return new TrainingGraph(digits.shape(), config, schedule,
        new TrainingSession.Optimization(LossWeighting.UNIFORM, 1.0, 0.5), seed, SessionThreads.DEFAULT,
        Precision.FP32);
  }

  private static void export(TrainingGraph graph, Path dir) throws Exception {
    try (ServingGraph serving = graph.servingGraph()) {
      serving.export(dir);
    }
  }

  /** The SavedModel's ε for this test's x_t and timesteps with {@code labels} as y. */
  private float[] served(Path savedModel, int[] labels) {
    int n = TIMESTEPS.length;
    try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 xtTensor = TFloat32.tensorOf(Shape.of(n, 8, 8, 1), DataBuffers.of(xt, true, false));
        TInt32 tTensor = TInt32.vectorOf(TIMESTEPS);
        TInt32 yTensor = TInt32.vectorOf(labels);
        Result result = bundle.function(EpsContract.SIGNATURE_KEY).call(Map.<String, Tensor>of(
            EpsContract.X_T, xtTensor, EpsContract.T, tTensor, EpsContract.Y, yTensor))) {
      float[] eps = new float[xt.length];
      ((TFloat32) result.get(EpsContract.EPS).orElseThrow()).copyTo(DataBuffers.of(eps, false, false));
      return eps;
    }
  }
}
