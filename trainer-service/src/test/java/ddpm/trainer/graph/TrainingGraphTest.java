package ddpm.trainer.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.core.BatchSampler;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.data.Dataset;
import ddpm.trainer.data.DigitsDataset;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class TrainingGraphTest {
  private static final int T = 1000;
  private static final int BATCH = 64;

  private final Dataset digits = DigitsDataset.load();
  private final NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, T);

  @Test
  void lossFallsOnTheDigits() {
    int steps = 200;
    int window = 50;
    double[] losses = new double[steps];
    try (TrainingGraph graph = new TrainingGraph(digits.shape(), EpsNetConfig.defaults(), schedule, 2e-3, 7)) {
      BatchSampler sampler = new BatchSampler(digits, T, 7);
      for (int step = 1; step <= steps; step++) {
        Batch b = sampler.next(BATCH);
        losses[step - 1] = graph.trainStep(b.x0(), b.t(), b.eps(), step);
      }
    }
    // A zero-initialised output layer predicts ε = 0 at first, so the first loss is mean(ε²) ≈ 1.
    assertEquals(1.0, losses[0], 0.15, "loss of step 1");
    double last = mean(losses, steps - window, steps);
    assertTrue(last < 0.25, "mean loss of the last " + window + " steps is " + last + ", want < 0.25");
  }

  @Test
  void exportedSavedModelGivesTheTrainingGraphsEps(@TempDir Path dir) throws Exception {
    int n = 5;
    float[] xt = new float[n * digits.imageSize()];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < xt.length; i++) {
      xt[i] = (float) random.nextGaussian();
    }
    int[] t = {0, 1, 250, 998, 999};
    float[] expected;
    try (TrainingGraph graph = new TrainingGraph(digits.shape(), EpsNetConfig.defaults(), schedule, 1e-3, 11)) {
      BatchSampler sampler = new BatchSampler(digits, T, 11);
      for (int step = 1; step <= 20; step++) {
        Batch b = sampler.next(16);
        graph.trainStep(b.x0(), b.t(), b.eps(), step);
      }
      expected = graph.predict(xt, t);
      SavedModelBundle.exporter(dir.toString())
          .withSession(graph.session()).withSignature(graph.servingSignature()).export();
    }
    assertTrue(maxAbs(expected) > 1e-3, "the trained network should not predict 0 everywhere");

    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 xtTensor = TFloat32.tensorOf(Shape.of(n, 8, 8, 1), DataBuffers.of(xt, true, false));
        TInt32 tTensor = TInt32.tensorOf(Shape.of(n), DataBuffers.of(t, true, false));
        Result result = bundle.function(TrainingGraph.SIGNATURE_KEY).call(Map.<String, Tensor>of("x_t", xtTensor, "t", tTensor))) {
      TFloat32 eps = (TFloat32) result.get("eps").orElseThrow();
      assertEquals(Shape.of(n, 8, 8, 1), eps.shape());
      float[] actual = new float[expected.length];
      eps.copyTo(DataBuffers.of(actual, false, false));
      assertArrayEquals(expected, actual, 1e-6f);
    }
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
