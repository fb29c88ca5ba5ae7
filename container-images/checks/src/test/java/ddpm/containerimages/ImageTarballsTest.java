package ddpm.containerimages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ddpm.cli.ServiceProcess;
import ddpm.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The image tarballs the build wrote (container-images/IMAGE/target/jib-image.tar): tagged with the version and the
 * commit, a numeric non-root user, an exec-form entrypoint (no shell) that serves the image's own service with a heap
 * sized from the container's memory, the TensorFlow natives only where the service runs a network, and the service
 * served from the image's own files: its entrypoint's java command line, run here with this machine's java against
 * the unpacked layers, is SERVING on grpc.health.v1 (the denoiser once it has loaded the project's models/ on the
 * image's TensorFlow) and stops gracefully on SIGTERM. For the scheduler and sampler that run is the proof that they
 * never load a TensorFlow or DJL class: there is none on their classpath.
 */
@Slow
class ImageTarballsTest {
  private static final Path IMAGES = Path.of(System.getProperty("images.dir", ".."));
  /** A denoiser loads and warms the project's models/ before it is SERVING, on TensorFlow from the image. */
  private static final Duration SERVING_PATIENCE = Duration.ofMinutes(3);
  private static final String NATIVES = "tensorflow-core-native-";
  private static final String GPU_SKIPPED = "SKIPPED: ddpm-suite/denoiser-gpu was left out of this build"
      + " (-P '!gpu-image'), so its GPU natives are not checked; see deploy/README.md, Images";

  /** What each image must hold; the GPU one is left out by -P '!gpu-image'. */
  enum Image {
    scheduler("scheduler", 50051, Natives.NONE),
    sampler("sampler", 50053, Natives.NONE),
    denoiser("denoiser", 50052, Natives.CPU),
    trainer("trainer", 50054, Natives.CPU),
    denoiser_gpu("denoiser", 50052, Natives.GPU);

    final String service;
    final int port;
    final Natives natives;

    Image(String service, int port, Natives natives) {
      this.service = service;
      this.port = port;
      this.natives = natives;
    }

    String module() {
      return name().replace('_', '-');
    }

    Path tarball() {
      return IMAGES.resolve(module()).resolve("target/jib-image.tar");
    }
  }

  enum Natives { NONE, CPU, GPU }

  @ParameterizedTest
  @EnumSource(value = Image.class, names = {"scheduler", "sampler", "denoiser", "trainer"})
  void imageServesItsServiceFromItsOwnFiles(Image image, @TempDir Path work) throws Exception {
    ImageTarball tarball = inspect(image, work);

    List<String> serve = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
    switch (image.service) {
      case "sampler" -> serve.addAll(List.of("--denoiser", "127.0.0.1:1", "--scheduler", "127.0.0.1:1"));
      case "denoiser" -> serve.addAll(List.of("--models", IMAGES.resolve("../models").toString()));
      case "trainer" -> serve.addAll(List.of("--scheduler", "127.0.0.1:1",
          "--models", Files.createDirectories(work.resolve("models")).toString(),
          "--data", Files.createDirectories(work.resolve("data")).toString(),
          "--work", Files.createDirectories(work.resolve("runs")).toString()));
      default -> { }
    }
    assertServes(tarball, image.service, serve, work);
  }

  @Test
  void gpuImageHoldsTheGpuNatives(@TempDir Path work) throws Exception {
    if (!Boolean.getBoolean("images.gpu")) {
      System.out.println(GPU_SKIPPED);
    }
    assumeTrue(Boolean.getBoolean("images.gpu"), GPU_SKIPPED);
    inspect(Image.denoiser_gpu, work);
  }

  /** Everything but the run: tags, user, entrypoint, default flags and natives; prints the image's size. */
  private static ImageTarball inspect(Image image, Path work) throws Exception {
    Path file = image.tarball();
    assertTrue(Files.isRegularFile(file), file + " was not built (the package phase of container-images builds it)");
    ImageTarball tarball = ImageTarball.unpack(file, work.resolve("image"));
    String name = "ddpm-suite/" + image.module();
    String version = System.getProperty("images.version");
    assertEquals(List.of(name + ":" + version, name + ":" + version + "-" + System.getProperty("images.commit")),
        tarball.tags);

    String[] user = tarball.user.split(":");
    assertTrue(user[0].matches("\\d+"), "user " + tarball.user + " is not a numeric uid");
    assertNotEquals(0, Integer.parseInt(user[0]), "the image runs as root");

    assertEquals("java", tarball.entrypoint.get(0), "the entrypoint is exec form, no shell");
    assertTrue(tarball.onPath("java"), "no java on the image's PATH: " + tarball.env);
    assertEquals(List.of("ddpm.cli.Ddpm", "serve", image.service),
        tarball.entrypoint.subList(tarball.entrypoint.size() - 3, tarball.entrypoint.size()));
    assertTrue(tarball.entrypoint.stream().anyMatch(flag -> flag.startsWith("-XX:MaxRAMPercentage=")),
        "the heap follows the container's memory: " + tarball.entrypoint);
    assertEquals(List.of("--host", "0.0.0.0", "--port", "" + image.port, "--metrics-port", "9090"), tarball.cmd);

    List<String> libs = tarball.files("/app/libs");
    List<String> natives = libs.stream().filter(lib -> lib.contains(NATIVES)).toList();
    switch (image.natives) {
      case NONE -> {
        assertEquals(List.of(), natives);
        for (String lib : libs) {
          assertNoTensorFlow(tarball.file(lib));
        }
      }
      case CPU -> assertEquals(List.of("/app/libs/" + NATIVES + "1.0.0-rc.1-linux-x86_64.jar"), natives);
      case GPU -> assertEquals(List.of("/app/libs/" + NATIVES + "1.0.0-rc.1-linux-x86_64-gpu.jar"), natives);
    }
    System.out.printf("%s: tarball %.0f MB, %d files under /app%n",
        name, Files.size(file) / 1e6, tarball.files("/app").size());
    return tarball;
  }

  /** No TensorFlow native library and no class of TensorFlow, DJL or javacpp in the jar (netty's natives are fine). */
  private static void assertNoTensorFlow(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> found = zip.stream().map(ZipEntry::getName)
          .filter(n -> n.contains("tensorflow") || n.startsWith("org/tensorflow/") || n.startsWith("ai/djl/")
              || n.startsWith("org/bytedeco/"))
          .limit(3).toList();
      assertEquals(List.of(), found, jar.getFileName() + " holds TensorFlow");
    }
  }

  /**
   * Runs the entrypoint's command line with this machine's java and the unpacked classpath, the test's flags in place
   * of the image's default ones, until grpc.health.v1 reports SERVING, then stops it as Kubernetes would (SIGTERM).
   * user.home moves to the test's folder; javacpp's cache stays this machine's, so the natives are not unpacked again.
   */
  private static void assertServes(ImageTarball image, String service, List<String> args, Path work)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    int classpath = image.entrypoint.indexOf("-cp");
    command.addAll(image.entrypoint.subList(1, classpath));
    command.add("-Duser.home=" + work);
    command.add("-Dorg.bytedeco.javacpp.cachedir="
        + Path.of(System.getProperty("user.home"), ".javacpp", "cache"));
    command.add("-cp");
    command.add(image.unpackedClasspath());
    command.addAll(image.entrypoint.subList(classpath + 2, image.entrypoint.size()));
    try (ServiceProcess process = ServiceProcess.start(command, service, args.toArray(String[]::new))) {
      process.awaitServing(SERVING_PATIENCE.toSeconds());
      assertEquals(143, process.stop(), service + " did not stop gracefully on SIGTERM");
    }
  }
}
