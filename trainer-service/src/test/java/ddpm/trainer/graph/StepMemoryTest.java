package ddpm.trainer.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.layers.SessionThreads;
import ddpm.tensorflow.Precision;
import ddpm.testing.Slow;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepMemoryTest {
  private static final ImageShape MNIST = new ImageShape(28, 28, 1);
  private static final ImageShape DIGITS = new ImageShape(8, 8, 1);

  /** Rows of the calibration table in StepMemory's comment: the estimates it shows, in MiB. */
  @Test
  void theEstimatesAreThoseOfTheCalibrationTable() {
    assertMebibytes(937, unet(32, null, null), MNIST, 64);
    assertMebibytes(2838, unet(32, null, null), MNIST, 256);
    assertMebibytes(2970, unet(64, null, null), MNIST, 128);
    assertMebibytes(791, unet(32, List.of(1), List.of(28)), MNIST, 16);
    assertMebibytes(3410, unet(256, null, null), DIGITS, 16);
    assertMebibytes(3717, unet(256, null, null), DIGITS, 64);
    assertMebibytes(511, EpsNetConfig.conv(64), MNIST, 32);
  }

  /**
   * The estimate's parameter count is within 15 % of the real network's (every variable of a TrainingGraph is a
   * weight, its moving average or one of Adam's two moments): a change to a network that the estimate does not
   * follow fails here.
   */
  @Slow
  @ParameterizedTest
  @CsvSource({"unet, 28", "unet, 8", "conv, 8"})
  void theParameterCountIsNearTheRealNetworks(String architecture, int side) {
    ImageShape image = new ImageShape(side, side, 1);
    EpsNetConfig config = new EpsNetConfig(Architecture.parse(architecture, "architecture"), 16, null, null, null,
        null).forImage(image);
    long real;
    try (TrainingGraph graph = new TrainingGraph(image, config, NoiseSchedule.of(ScheduleKind.LINEAR, 100),
        new TrainingSession.Optimization(LossWeighting.UNIFORM, 1, 0.9), 0, SessionThreads.TRAINING,
        Precision.FP32)) {
      real = graph.variableValues().values().stream().mapToLong(values -> values.length).sum() / 4;
    }
    long estimated = StepMemory.of(config, image).parameters();
    assertTrue(Math.abs(estimated - real) <= 0.15 * real, "estimated " + estimated + ", real " + real);
  }

  private static EpsNetConfig unet(int baseChannels, List<Integer> channelMult, List<Integer> attention) {
    return new EpsNetConfig(Architecture.UNET, baseChannels, channelMult, null, attention, null);
  }

  private static void assertMebibytes(long expected, EpsNetConfig network, ImageShape image, int batch) {
    StepMemory memory = StepMemory.of(network.forImage(image), image);
    assertEquals(expected, Math.round(memory.bytes(batch) / (1 << 20)), network + " at batch " + batch);
  }
}
