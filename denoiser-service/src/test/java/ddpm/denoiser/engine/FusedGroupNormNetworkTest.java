package ddpm.denoiser.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.Precision;
import ddpm.tensorflow.kernels.FusedKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped networks with each GroupNorm→SiLU fused into one kernel, against TensorFlow's own ops for the same
 * inputs over every noise level. Only where the kernel was built and loads (gcc at build time, Linux on x86-64).
 */
class FusedGroupNormNetworkTest {
  private static final Path MODELS = Path.of("..", "models");
  private static final int IMAGES = 16;
  /**
   * The kernel sums in another order than TensorFlow's reductions (per channel, then per group, in double) and takes
   * expf from glibc's vector library: on mnist:4, ε moved by 3.6e-7 RMS relative to itself, 6e-6 at most. A wrong
   * group count, ε or γ/β order moves it by order 1.
   */
  private static final double FP32_RELATIVE_RMS_BOUND = 1e-5;
  private static final double FP32_MAX_ABS_BOUND = 1e-4;
  /** As Bf16EpsNetworkTest's: bf16 arithmetic moves ε by 5e-3 RMS relative; a broken graph by order 1. */
  private static final double BF16_RELATIVE_RMS_BOUND = 0.05;
  private static final double BF16_MAX_ABS_BOUND = 0.25;

  @BeforeEach
  void kernelLoads() {
    assumeTrue(FusedKernels.available(), () -> FusedKernels.unavailable().orElse(""));
  }

  @Test
  void fusedFp32EpsEqualsTheStockGraphsWithinFloatRounding() throws IOException {
    for (String model : new String[] {"mnist", "mnist-cond"}) {
      Case c = new Case(model);
      float[] stock = c.eps(Precision.FP32, GroupNormKernel.STOCK);
      float[] fused = c.eps(Precision.FP32, GroupNormKernel.FUSED);
      EpsDifference d = EpsDifference.of(stock, fused);
      assertTrue(d.relativeRms() <= FP32_RELATIVE_RMS_BOUND && d.maxAbs() <= FP32_MAX_ABS_BOUND, model + ": " + d);
      assertTrue(d.maxAbs() > 0, model + ": fused ε equal to stock bit for bit: the graph was not rewritten");
    }
  }

  @Test
  void fusedBf16EpsIsWithinBf16RoundingOfFp32() throws IOException {
    assumeTrue(CpuFlags.ofThisMachine().bf16(), "this CPU has no bf16 units (amx_bf16, avx512_bf16)");
    Case c = new Case("mnist");
    EpsDifference d = EpsDifference.of(c.eps(Precision.FP32, GroupNormKernel.STOCK),
        c.eps(Precision.BF16, GroupNormKernel.FUSED));
    assertTrue(d.relativeRms() <= BF16_RELATIVE_RMS_BOUND && d.maxAbs() <= BF16_MAX_ABS_BOUND, d.toString());
  }

  @Test
  void aNetworkSaysWhichKernelRanAndStockLeavesTheGraphAlone() throws IOException {
    Case c = new Case("mnist");
    try (DjlEpsNetwork fused = c.load(Precision.FP32, GroupNormKernel.FUSED);
        DjlEpsNetwork stock = c.load(Precision.FP32, GroupNormKernel.STOCK)) {
      assertEquals("fused", fused.groupNorm());
      assertEquals("stock", stock.groupNorm());
    }
  }

  /** One shipped model's latest version and inputs for it: images of noise at timesteps spread over [0, T-1]. */
  private static final class Case {
    private final ModelCard card;
    private final Path dir;
    private final float[] xt;
    private final int[] t = new int[IMAGES];
    private final ExtraInputs extra;

    Case(String model) throws IOException {
      ModelRepository repository = new ModelRepository(MODELS);
      long version = repository.resolve(model, 0);
      card = repository.card(model, version);
      dir = repository.versionDir(model, version);
      Random random = new Random(11);
      xt = new float[IMAGES * card.height() * card.width() * card.channels()];
      for (int i = 0; i < xt.length; i++) {
        xt[i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < IMAGES; i++) {
        t[i] = i * (card.timesteps() - 1) / (IMAGES - 1);
      }
      int[] labels = new int[IMAGES];
      for (int i = 0; i < IMAGES; i++) {
        labels[i] = card.numClasses() == 0 ? 0 : i % (card.numClasses() + 1);
      }
      extra = card.numClasses() == 0 ? ExtraInputs.NONE
          : ExtraInputs.of(Map.of(EpsContract.Y, ExtraInput.int32(labels)));
    }

    DjlEpsNetwork load(Precision precision, GroupNormKernel groupNorm) {
      return DjlEpsNetwork.load(dir, card, ComputeDevice.CPU, precision, groupNorm);
    }

    float[] eps(Precision precision, GroupNormKernel groupNorm) {
      try (DjlEpsNetwork network = load(precision, groupNorm)) {
        assertEquals(groupNorm.flagValue(), network.groupNorm());
        return network.predict(xt, t, extra);
      }
    }
  }
}
