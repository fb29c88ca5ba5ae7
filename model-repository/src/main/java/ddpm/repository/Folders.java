package ddpm.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree chores around model and checkpoint folders. */
public final class Folders {
  private Folders() {}

  /**
   * What went wrong reading or writing a file, for a message a client may read, which names the file itself
   * relative to a folder the client knows: the JDK's file errors put the file's path on this machine in their
   * message, so they are described without it. Any other exception's message is taken as it is.
   */
  public static String problem(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f) {
      return f.getReason() != null ? f.getReason() : "the file system refused";
    }
    return e.getMessage();
  }

  /** Deletes {@code dir} and everything under it; a missing folder is fine. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
