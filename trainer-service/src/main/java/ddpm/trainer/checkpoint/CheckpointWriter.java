package ddpm.trainer.checkpoint;

import ddpm.trainer.graph.TrainingGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a job's checkpoints as {@code <jobDir>/ckpt-<step>/variables.*} (a TensorFlow variables
 * checkpoint: weights and Adam state). Each is written beside its final name and renamed in one atomic
 * step, so a folder named ckpt-N is always complete.
 */
public final class CheckpointWriter {
  public static final String PREFIX = "variables";

  private final Path jobDir;

  public CheckpointWriter(Path jobDir) {
    this.jobDir = jobDir;
  }

  public static String folderName(int step) {
    return "ckpt-" + step;
  }

  /** Returns the checkpoint's folder. */
  public Path write(TrainingGraph graph, int step) throws IOException {
    Files.createDirectories(jobDir);
    Path target = jobDir.resolve(folderName(step));
    Path partial = jobDir.resolve("." + folderName(step) + ".partial");
    deleteRecursively(partial);
    Files.createDirectory(partial);
    try {
      graph.saveVariables(partial.resolve(PREFIX));
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(partial);
    }
    return target;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
