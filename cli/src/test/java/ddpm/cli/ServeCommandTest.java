package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.CpuFlags;
import ddpm.tensorflow.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @Test
  void memorySizesAreBytesOrBinaryMultiples() {
    assertEquals(1_073_741_824L, ServeCommand.bytes("1073741824", "--memory-budget"));
    assertEquals(6L << 30, ServeCommand.bytes("6G", "--memory-budget"));
    assertEquals(512L << 20, ServeCommand.bytes("512m", "--memory-budget"));
    assertEquals(3L << 29, ServeCommand.bytes("1.5G", "--memory-budget"));
    assertEquals(2L << 40, ServeCommand.bytes("2T", "--memory-budget"));
  }

  @Test
  void aSizeInAnotherFormIsRefusedNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.bytes("6 gigabytes", "--memory-budget"));
    assertEquals("--memory-budget must be a size such as 6G, 512M or 1073741824, got 6 gigabytes", e.getMessage());
  }

  @Test
  void aDeviceOtherThanCpuGpuOrAutoIsRefusedNamingTheFlag() {
    CommandRun run = CommandRun.of("serve", "denoiser", "--device", "tpu");
    assertEquals(1, run.exitCode());
    assertEquals(List.of("ddpm serve: --device must be one of cpu, gpu, auto, got \"tpu\""),
        run.err().lines().toList());
  }

  @Test
  void aPrecisionOtherThanFp32Bf16OrAutoIsRefusedNamingTheFlag() {
    CommandRun run = CommandRun.of("serve", "denoiser", "--precision", "fp16");
    assertEquals(1, run.exitCode());
    assertEquals(List.of("ddpm serve: --precision must be one of fp32, bf16, auto, got \"fp16\""),
        run.err().lines().toList());
  }

  @Test
  void theTrainersPrecisionIsRefusedNamingTheFlagAsTheDenoisersIs() {
    CommandRun serve = CommandRun.of("serve", "trainer", "--scheduler", "localhost:1", "--precision", "fp16");
    assertEquals(1, serve.exitCode());
    assertEquals(List.of("ddpm serve: --precision must be one of fp32, bf16, auto, got \"fp16\""),
        serve.err().lines().toList());
    CommandRun train = CommandRun.of("train", "--model", "m", "--precision", "half");
    assertEquals(1, train.exitCode());
    assertEquals(List.of("ddpm train: --precision must be one of fp32, bf16, auto, got \"half\""),
        train.err().lines().toList());
  }

  @Test
  void aTrainerInBf16WhereItWouldNotRunFailsAtStartInOneLine() {
    assumeFalse(CpuFlags.ofThisMachine().bf16(), "bf16 runs here: TrainingGraphTest trains in it");
    CommandRun run = CommandRun.of("serve", "trainer", "--scheduler", "localhost:1", "--precision", "bf16");
    assertEquals(1, run.exitCode());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("ddpm serve: --precision bf16: this CPU has no bf16 units"), lines.get(0));
  }

  @Test
  void upInBf16WhereItWouldNotRunFailsAtStartInOneLine(@TempDir Path models) {
    assumeFalse(CpuFlags.ofThisMachine().bf16() && DeviceChoice.AUTO.select("--device") == ComputeDevice.CPU,
        "bf16 runs here: DeviceServerTest reports it");
    CommandRun run = CommandRun.of("up", "--precision", "bf16", "--models", models.toString());
    assertEquals(1, run.exitCode());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("ddpm up: --precision bf16: "), lines.get(0));
  }

  @Test
  void upOnTheGpuWhereTensorFlowSeesNoneFailsAtStartInOneLine(@TempDir Path models) {
    assumeFalse(DeviceChoice.AUTO.select("--device") == ComputeDevice.GPU,
        "TensorFlow sees a GPU here: DeviceServerTest serves on it");
    CommandRun run = CommandRun.of("up", "--device", "gpu", "--models", models.toString());
    assertEquals(1, run.exitCode());
    assertEquals(List.of("ddpm up: --device gpu: TensorFlow sees no GPU here (CPU-only natives, or no NVIDIA GPU and"
        + " driver on this machine); use --device cpu, or the GPU build (mvn -Pgpu) on a GPU machine"),
        run.err().lines().toList());
  }
}
