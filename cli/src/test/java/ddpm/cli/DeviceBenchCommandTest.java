package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
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
        "--devices", "cpu", "--batches", "1,4", "--rounds", "1");
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
        "--devices", "cpu", "--precisions", "fp32,bf16", "--batches", "1,2", "--rounds", "1", "--compare-images", "4");
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
  }
}
