package ddpm.tensorflow;

import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Makes TensorFlow usable offline, for DJL's engine and TF Java alike. Must run before the first DJL or
 * TF Java call: DJL otherwise tries to download its natives and to phone home at first engine use.
 * The natives come from the tensorflow-core-native jar on the classpath, unpacked once by javacpp into
 * its cache (~/.javacpp/cache, movable with -Dorg.bytedeco.javacpp.cachedir).
 */
public final class TensorFlowRuntime {
  /** DJL's name for its TensorFlow engine. */
  public static final String ENGINE = "TensorFlow";

  private static Path libraryDir;

  private TensorFlowRuntime() {}

  /** Idempotent and thread-safe; returns the folder holding the TensorFlow natives. */
  public static synchronized Path init() {
    if (libraryDir == null) {
      System.setProperty("ai.djl.offline", "true");
      System.setProperty("OPT_OUT_TRACKING", "true");
      String loaded = Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
      libraryDir = Path.of(loaded).getParent();
      System.setProperty("TENSORFLOW_LIBRARY_PATH", libraryDir.toString());
    }
    return libraryDir;
  }
}
