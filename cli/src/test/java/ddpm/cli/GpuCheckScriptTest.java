package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/gpu-check.sh on machines without what it needs, in a copy of the tree where this test decides what is
 * built and what nvidia-smi says: each stops at once with one line and exit code 2, before starting a JVM.
 */
class GpuCheckScriptTest {
  @TempDir Path root;
  private Path bin;

  @BeforeEach
  void tree() throws IOException {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "gpu-check.sh"), root.resolve("scripts/gpu-check.sh"),
        StandardCopyOption.COPY_ATTRIBUTES);
    // A PATH of its own: the tools the script needs before its checks pass, and no nvidia-smi unless a test adds one.
    bin = Files.createDirectories(root.resolve("bin"));
    for (String tool : List.of("dirname", "grep", "head")) {
      Path real = List.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).stream()
          .filter(Files::isExecutable).findFirst().orElseThrow();
      Files.createSymbolicLink(bin.resolve(tool), real);
    }
  }

  private void built(String nativesJar) throws IOException {
    Files.createDirectories(root.resolve("cli/target/lib"));
    Files.writeString(root.resolve("cli/target/ddpm-cli.jar"), "");
    Files.writeString(root.resolve("cli/target/lib").resolve(nativesJar), "");
  }

  private void nvidiaSmiListing(String gpus) throws IOException {
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\nprintf '" + gpus + "'\n");
    smi.toFile().setExecutable(true);
  }

  /** Exit code, then each line of stderr; stdout must stay empty. */
  private List<String> check() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/bin/bash", root.resolve("scripts/gpu-check.sh").toString());
    builder.environment().put("PATH", bin.toString());
    builder.redirectOutput(root.resolve("out.txt").toFile()).redirectError(root.resolve("err.txt").toFile());
    Process process = builder.start();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("gpu-check.sh did not stop");
    }
    assertEquals("", Files.readString(root.resolve("out.txt")));
    return Stream.concat(Stream.of("exit " + process.exitValue()), Files.readAllLines(root.resolve("err.txt")).stream())
        .toList();
  }

  @Test
  void anUnbuiltTreeSaysHowToBuildIt() throws Exception {
    assertEquals(List.of("exit 2", "gpu-check: no build in cli/target; build the tree first: mvn -B -Pgpu"
        + " -DskipTests package"), check());
  }

  @Test
  void aMachineWithoutTheNvidiaDriverSaysSo() throws Exception {
    built("tensorflow-core-native-1.0.0-rc.1-linux-x86_64-gpu.jar");
    assertEquals(List.of("exit 2", "gpu-check: no NVIDIA GPU visible: nvidia-smi is not installed (no NVIDIA driver"
        + " on this machine)"), check());
  }

  @Test
  void aDriverThatListsNoGpuSaysSo() throws Exception {
    built("tensorflow-core-native-1.0.0-rc.1-linux-x86_64-gpu.jar");
    nvidiaSmiListing("No devices were found\\n");
    assertEquals(List.of("exit 2", "gpu-check: no NVIDIA GPU visible: nvidia-smi lists none"), check());
  }

  @Test
  void aBuildWithTheCpuNativesSaysToRebuildWithTheGpuProfile() throws Exception {
    built("tensorflow-core-native-1.0.0-rc.1-linux-x86_64.jar");
    nvidiaSmiListing("GPU 0: NVIDIA H100 (UUID: GPU-0)\\n");
    assertEquals(List.of("exit 2", "gpu-check: the build holds TensorFlow's CPU natives only; rebuild with: mvn -B"
        + " -Pgpu -DskipTests package"), check());
  }
}
