package ddpm.tensorflow.kernels;

import ddpm.tensorflow.TensorFlowRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.tensorflow.TensorFlow;

/**
 * The project's own TensorFlow kernels (src/main/c, built by this module's Maven build with gcc), registered with
 * TensorFlow once per JVM: today {@value GroupNormSiluFusion#OP}. Loading needs linux-x86_64, a build that had gcc,
 * and glibc's libmvec; where any is missing, {@link #unavailable()} says which, and networks keep TensorFlow's ops.
 */
public final class FusedKernels {
  private static final String RESOURCE = "linux-x86_64/libddpm_kernels.so";

  private static Optional<String> unavailable;

  private FusedKernels() {}

  /** Whether the kernels are registered (loading them on the first call). */
  public static boolean available() {
    return unavailable().isEmpty();
  }

  /** Empty once the kernels are registered; otherwise why they are not. Loads them on the first call. */
  public static synchronized Optional<String> unavailable() {
    if (unavailable == null) {
      unavailable = load();
    }
    return unavailable;
  }

  private static Optional<String> load() {
    String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    if (!platform.equals("Linux/amd64")) {
      return Optional.of("the fused kernels are built for Linux on x86-64, not " + platform);
    }
    // TensorFlow's natives first: the kernels' library names libtensorflow_framework.so.2, found loaded.
    TensorFlowRuntime.init();
    try (InputStream library = FusedKernels.class.getResourceAsStream(RESOURCE)) {
      if (library == null) {
        return Optional.of("the fused kernels were not built (no gcc where this jar was built)");
      }
      // A file for dlopen; once loaded, the mapping outlives the file.
      Path copy = Files.createTempFile("libddpm_kernels", ".so");
      try {
        Files.copy(library, copy, StandardCopyOption.REPLACE_EXISTING);
        TensorFlow.loadLibrary(copy.toString());
      } finally {
        Files.deleteIfExists(copy);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      return Optional.of("the fused kernels did not load: " + e.getMessage());
    }
  }
}
