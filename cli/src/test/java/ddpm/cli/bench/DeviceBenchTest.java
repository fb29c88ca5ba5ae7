package ddpm.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.Precision;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The comparison of {@code ddpm device-bench}: its inputs and what it measures between two ε. */
class DeviceBenchTest {
  private static final Path MODELS = Path.of("..", "models");

  @Test
  void theSameNetworkLoadedTwiceOnTheCpuGivesTheSameEpsForInputsOverEveryNoiseLevel() throws Exception {
    ModelRepository repository = new ModelRepository(MODELS);
    long version = repository.resolve("mnist", 0);
    ModelCard card = repository.card("mnist", version);
    Path dir = repository.versionDir("mnist", version);
    try (DjlEpsNetwork a = DjlEpsNetwork.load(dir, card, ComputeDevice.CPU, Precision.FP32);
        DjlEpsNetwork b = DjlEpsNetwork.load(dir, card, ComputeDevice.CPU, Precision.FP32)) {
      DeviceBench.Inputs inputs = DeviceBench.Inputs.of(card, a, 5, 3);
      assertArrayEquals(new int[] {0, 249, 499, 749, 999}, inputs.t());
      assertEquals(new DeviceBench.Difference(0, 0, 0), DeviceBench.Difference.between(inputs.eps(a), inputs.eps(b)));
    }
  }

  @Test
  void aDifferenceIsTheLargestAndTheRmsAbsoluteAndRelativeAndNanIsInfinitelyFar() {
    DeviceBench.Difference d =
        DeviceBench.Difference.between(new float[] {0, 1, 2, 3}, new float[] {0, 1.5f, 2, 2});
    assertEquals(1.0, d.maxAbs());
    assertEquals(Math.sqrt((0.25 + 1) / 4), d.rms(), 1e-12);
    assertEquals(Math.sqrt((0.25 + 1) / (1 + 4 + 9)), d.relativeRms(), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY,
        DeviceBench.Difference.between(new float[] {1}, new float[] {Float.NaN}).maxAbs());
  }

  @Test
  void theMedianIsTheMiddleOrTheMeanOfTheMiddleTwo() {
    assertEquals(3.0, DeviceBench.median(new double[] {5, 1, 3}));
    assertEquals(2.5, DeviceBench.median(new double[] {4, 1, 2, 3}));
    assertEquals(7.0, DeviceBench.median(new double[] {7}));
  }
}
