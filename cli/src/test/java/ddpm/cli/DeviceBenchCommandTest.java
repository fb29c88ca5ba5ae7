package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.kernels.FusedKernels;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ddpm device-bench} where TensorFlow sees no GPU (every machine with the default build): gpu fails in one
 * line before any work; the CPU half of the measurements runs on the shipped mnist.
 */
class DeviceBenchCommandTest {
  private static final Path MODELS = Path.of("..", "models");

  @Test
  void gpuWhereTensorFlowSeesNoneFailsInOneLineNamingTheOption() {
    if (DeviceChoice.AUTO.select("--devices") == ComputeDevice.GPU) {
      return; // A GPU machine with the GPU build: scripts/gpu-check.sh measures it there.
    }
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--devices", "cpu,gpu");
    assertEquals(1, run.exitCode());
    assertEquals("", run.out());
    assertEquals(List.of("ddpm device-bench: --devices gpu: TensorFlow sees no GPU here (CPU-only natives, or no"
        + " NVIDIA GPU and driver on this machine); use --devices cpu, or the GPU build (mvn -Pgpu) on a GPU"
        + " machine"), run.err().lines().toList());
  }

  @Test
  void autoIsNotADeviceToMeasure() {
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--devices", "auto");
    assertEquals(1, run.exitCode());
    assertEquals("ddpm device-bench: --devices takes cpu and gpu, not auto: name the devices to measure",
        run.err().strip());
  }

  @Test
  void measuresImagesPerSecondOfTheShippedMnistOnTheCpu() {
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--model", "mnist",
        "--devices", "cpu", "--batches", "1,4", "--rounds", "1", "--peak-size", "256");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).matches("device-bench: mnist version \\d+, \\[28, 28, 1\\] on \\[cpu\\]"), lines.get(0));
    assertEquals(List.of("images/s", "batch", "1", "batch", "4"), List.of(lines.get(1).trim().split(" +")));
    String[] row = lines.get(2).trim().split(" +");
    assertEquals("cpu", row[0]);
    assertEquals(3, row.length, lines.get(2));
    for (int i = 1; i < row.length; i++) {
      assertTrue(Double.parseDouble(row[i]) > 0, lines.get(2));
    }
    assertWork(lines.subList(3, lines.size()), List.of("cpu"), List.of(lines.get(2)));
  }

  @Test
  void autoIsNotAPrecisionToMeasure() {
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--devices", "cpu",
        "--precisions", "fp32,auto");
    assertEquals(1, run.exitCode());
    assertEquals("ddpm device-bench: --precisions takes fp32 and bf16, not auto: name the precisions to measure",
        run.err().strip());
  }

  @Test
  void comparesFp32AndBf16OnTheCpuOrRefusesBf16NamingTheOption() {
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--model", "mnist",
        "--devices", "cpu", "--precisions", "fp32,bf16", "--batches", "1,2", "--rounds", "1", "--compare-images", "4",
        "--peak-size", "256");
    if (!CpuFlags.ofThisMachine().bf16()) {
      assertEquals(1, run.exitCode());
      assertTrue(run.err().startsWith("ddpm device-bench: --precisions bf16: this CPU has no bf16 units"),
          run.err());
      return;
    }
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).endsWith(" on [cpu/fp32, cpu/bf16]"), lines.get(0));
    assertTrue(lines.get(1).matches("eps cpu/bf16 vs cpu/fp32, 4 images over t in \\[0, \\d+\\]: max \\|diff\\| \\S+,"
        + " rms \\S+, relative rms \\S+ \\(tolerance 0\\.250\\): equal"), lines.get(1));
    assertEquals(List.of("images/s", "batch", "1", "batch", "2"), List.of(lines.get(2).trim().split(" +")));
    assertEquals("cpu/fp32", lines.get(3).trim().split(" +")[0]);
    assertEquals("cpu/bf16", lines.get(4).trim().split(" +")[0]);
    String[] ratio = lines.get(5).trim().split(" +");
    assertEquals(List.of("cpu", "bf16/fp32"), List.of(ratio[0], ratio[1]));
    assertEquals(4, ratio.length, lines.get(5));
    for (int i = 2; i < ratio.length; i++) {
      assertTrue(ratio[i].endsWith("x") && Double.parseDouble(ratio[i].replace("x", "")) > 0, lines.get(5));
    }
    assertWork(lines.subList(6, lines.size()), List.of("cpu/fp32", "cpu/bf16"), lines.subList(3, 5));
    assertTrue(lines.get(8).matches("matmul peak cpu/bf16: \\S+ GFLOP/s \\(256x256 float32 product, rewritten to bf16:"
        + " \\S+ relative rms from fp32's\\)"), lines.get(8));
  }

  @Test
  void comparesTheFusedGroupNormKernelWithTensorFlowsOpsInTheSamePrecision() {
    CommandRun run = CommandRun.of("device-bench", "--models", MODELS.toString(), "--model", "mnist",
        "--devices", "cpu", "--group-norms", "stock,fused", "--batches", "1,2", "--rounds", "1",
        "--compare-images", "4", "--peak-size", "256");
    if (!FusedKernels.available()) {
      assertEquals(1, run.exitCode());
      assertTrue(run.err().startsWith("ddpm device-bench: --group-norms fused: the fused kernels"), run.err());
      return;
    }
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).endsWith(" on [cpu/stock, cpu/fused]"), lines.get(0));
    // fp32 on both sides: the kernel's sums and exp round differently from TensorFlow's, by far less than 1e-3.
    Matcher eps = Pattern.compile("eps cpu/fused vs cpu/stock, 4 images over t in \\[0, \\d+\\]: max \\|diff\\|"
        + " (\\S+), rms \\S+, relative rms \\S+ \\(tolerance 0\\.0200\\): equal").matcher(lines.get(1));
    assertTrue(eps.matches(), lines.get(1));
    assertTrue(Double.parseDouble(eps.group(1)) < 1e-3, lines.get(1));
    assertEquals("cpu/stock", lines.get(3).trim().split(" +")[0]);
    assertEquals("cpu/fused", lines.get(4).trim().split(" +")[0]);
    String[] ratio = lines.get(5).trim().split(" +");
    assertEquals(List.of("cpu", "fp32", "fused/stock"), List.of(ratio[0], ratio[1], ratio[2]));
    assertEquals(5, ratio.length, lines.get(5));
    assertWork(lines.subList(6, lines.size()), List.of("cpu/stock", "cpu/fused"), lines.subList(3, 5));
  }

  /**
   * The lines after the images/s: the forward pass's operations per image, each network's matrix peak, then per
   * network and batch size its GFLOP/s, which is its images/s times those operations, and that over its peak.
   */
  private static void assertWork(List<String> lines, List<String> names, List<String> imagesPerSecond) {
    Matcher forward = Pattern.compile("forward pass: (\\S+) GFLOP per image, counted from the graph: 2 per"
        + " multiply-add of its \\d+ BatchMatMulV3, \\d+ Conv2D, \\d+ MatMul \\(elementwise ops left out\\)")
        .matcher(lines.get(0));
    assertTrue(forward.matches(), lines.get(0));
    double flops = Double.parseDouble(forward.group(1));
    // A U-Net of 32 base channels at 28x28 does a few hundred million multiply-adds per image.
    assertTrue(flops > 0.05 && flops < 5, lines.get(0));
    double[] peaks = new double[names.size()];
    for (int n = 0; n < names.size(); n++) {
      Matcher peak = Pattern.compile("matmul peak " + Pattern.quote(names.get(n)) + ": (\\S+) GFLOP/s \\(256x256"
          + " float32 product.*\\)").matcher(lines.get(1 + n));
      assertTrue(peak.matches(), lines.get(1 + n));
      peaks[n] = Double.parseDouble(peak.group(1));
      assertTrue(peaks[n] > 0, lines.get(1 + n));
    }
    int gflops = 1 + names.size();
    int shares = gflops + 1 + names.size();
    assertEquals(List.of("GFLOP/s", "batch", "1"), List.of(lines.get(gflops).trim().split(" +")).subList(0, 3));
    assertEquals(List.of("%", "of", "peak", "batch"), List.of(lines.get(shares).trim().split(" +")).subList(0, 4));
    for (int n = 0; n < names.size(); n++) {
      String[] rate = imagesPerSecond.get(n).trim().split(" +");
      String[] work = lines.get(gflops + 1 + n).trim().split(" +");
      String[] share = lines.get(shares + 1 + n).trim().split(" +");
      assertEquals(names.get(n), work[0]);
      assertEquals(names.get(n), share[0]);
      assertEquals(rate.length, work.length, lines.get(gflops + 1 + n));
      assertEquals(rate.length, share.length, lines.get(shares + 1 + n));
      for (int b = 1; b < rate.length; b++) {
        double expected = Double.parseDouble(rate[b]) * flops;
        assertEquals(expected, Double.parseDouble(work[b]), 0.01 * expected, lines.get(gflops + 1 + n));
        assertTrue(share[b].endsWith("%"), lines.get(shares + 1 + n));
        double expectedShare = 100 * Double.parseDouble(work[b]) / peaks[n];
        assertEquals(expectedShare, Double.parseDouble(share[b].replace("%", "")), 0.01 * expectedShare + 0.1,
            lines.get(shares + 1 + n));
      }
    }
  }
}
