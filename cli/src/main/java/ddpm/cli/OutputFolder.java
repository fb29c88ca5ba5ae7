package ddpm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The folder a command will write a file into, checked before the command does its work rather than after. */
final class OutputFolder {
  private OutputFolder() {}

  /** IllegalArgumentException naming {@code option} unless {@code file}'s folder exists and can be written. */
  static void requireWritable(Path file, String option) {
    Path folder = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(option + ": folder " + folder
          + (Files.exists(folder) ? " is not a folder" : " does not exist"));
    }
    if (!Files.isWritable(folder)) {
      throw new IllegalArgumentException(option + ": folder " + folder + " cannot be written");
    }
  }
}
