package ddpm.denoiser.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shipped mnist network in bf16 against itself in fp32, for the same inputs over every noise level. Only on a
 * CPU with bf16 units: elsewhere bf16 is refused (PrecisionChoiceTest) and TensorFlow would not rewrite the graph.
 */
class Bf16EpsNetworkTest {
  private static final Path MODELS = Path.of("..", "models");
  private static final int IMAGES = 16;

  /**
   * bfloat16 keeps 8 significant bits (unit roundoff 2^-8 ≈ 3.9e-3) and oneDNN accumulates its products in float32;
   * through the U-Net's convolutions, ε (entries of order 1) moved by 4.7e-3 RMS relative to itself and by 0.052 at
   * most on these inputs (mnist:4, on a CPU with AVX512_BF16). The bounds leave room for other CPUs' kernels; a graph
   * that is wrong in bf16 (lost casts, saturated normalisation) moves ε by order 1.
   */
  private static final double RELATIVE_RMS_BOUND = 0.05;
  private static final double MAX_ABS_BOUND = 0.25;

  @Test
  void bf16EpsIsCloseToFp32EpsAndNotIdenticalToIt() throws IOException {
    assumeTrue(CpuFlags.ofThisMachine().bf16(), "this CPU has no bf16 units (amx_bf16, avx512_bf16)");
    ModelRepository repository = new ModelRepository(MODELS);
    long version = repository.resolve("mnist", 0);
    ModelCard card = repository.card("mnist", version);
    Path dir = repository.versionDir("mnist", version);
    Random random = new Random(7);
    float[] xt = new float[IMAGES * card.height() * card.width() * card.channels()];
    for (int i = 0; i < xt.length; i++) {
      xt[i] = (float) random.nextGaussian();
    }
    int[] t = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      t[i] = i * (card.timesteps() - 1) / (IMAGES - 1);
    }
    float[] fp32;
    float[] bf16;
    try (DjlEpsNetwork network = DjlEpsNetwork.load(dir, card, ComputeDevice.CPU, Precision.FP32)) {
      fp32 = network.predict(xt, t);
    }
    try (DjlEpsNetwork network = DjlEpsNetwork.load(dir, card, ComputeDevice.CPU, Precision.BF16)) {
      assertEquals("bf16", network.precision());
      bf16 = network.predict(xt, t);
    }
    EpsDifference d = EpsDifference.of(fp32, bf16);
    assertFalse(Arrays.equals(fp32, bf16), "bf16 gave fp32's ε bit for bit: the rewrite did not run");
    assertTrue(d.relativeRms() <= RELATIVE_RMS_BOUND, d.toString());
    assertTrue(d.maxAbs() <= MAX_ABS_BOUND, d.toString());
  }
}
