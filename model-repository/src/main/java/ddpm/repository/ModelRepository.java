package ddpm.repository;

import ddpm.diffusion.Echo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of published models laid out as {@code <root>/<name>/<version>/}, each version a network with its
 * model.json, which names the network's format. Versions are positive integers, and {@link #resolve} reads 0 as
 * the highest on disk (a denoiser's default is its highest loaded version instead). Anything else in the folder
 * (a staging folder, a README) is ignored.
 */
public final class ModelRepository {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

  private final Path root;

  public ModelRepository(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Throws IllegalArgumentException naming {@code field} unless {@code name} is a valid model name. */
  public static void checkName(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(field + ": " + Echo.quoted(name)
          + " is not a model name (letters, digits, '.', '_' and '-', starting with a letter or digit)");
    }
  }

  /** Names of the models that have at least one version, sorted. */
  public List<String> modelNames() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> NAME.matcher(n).matches() && !versions(n).isEmpty())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Versions of a model, ascending; empty when the model is absent. */
  public List<Long> versions(String name) {
    checkName(name, "model");
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String v = p.getFileName().toString();
        if (VERSION.matcher(v).matches() && Files.isDirectory(p)) {
          out.add(Long.parseLong(v));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  public OptionalLong latestVersion(String name) {
    List<Long> v = versions(name);
    return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(v.get(v.size() - 1));
  }

  /** The version a request means: {@code requested}, or the highest when it is 0. NOT_FOUND as NoSuchElementException. */
  public long resolve(String name, long requested) {
    return resolve(name, requested, "model", "version");
  }

  /** {@link #resolve(String, long)} for a request whose fields have other names, which the errors then name. */
  public long resolve(String name, long requested, String nameField, String versionField) {
    if (requested < 0) {
      throw new IllegalArgumentException(versionField + ": must be ≥ 0 (0 means the latest), got " + requested);
    }
    List<Long> versions = versions(name);
    if (versions.isEmpty()) {
      throw new NoSuchElementException(nameField + ": no model " + Echo.quoted(name) + " in the repository");
    }
    if (requested == 0) {
      return versions.get(versions.size() - 1);
    }
    if (!versions.contains(requested)) {
      throw new NoSuchElementException(versionField + ": model " + Echo.quoted(name) + " has no version " + requested
          + " (versions: " + versions + ")");
    }
    return requested;
  }

  public Path versionDir(String name, long version) {
    checkName(name, "model");
    return root.resolve(name).resolve(Long.toString(version));
  }

  public ModelCard card(String name, long version) throws IOException {
    return ModelCard.read(versionDir(name, version));
  }

  /** Fills a staging folder; the repository then publishes it. */
  @FunctionalInterface
  public interface VersionWriter {
    void write(Path stagingDir) throws IOException;
  }

  /**
   * Publishes a new version of {@code name}: {@code writer} fills a hidden staging folder beside the
   * versions, which is then renamed to the next free version number in one atomic step, so a denoiser
   * watching the repository never sees a half-written version. Publishers racing for one number, in this
   * process or others, each get a version of their own: a rename onto a version that another publisher
   * created first fails (a version folder is never empty), and the loser takes the next number. Returns the
   * version.
   */
  public long publish(String name, VersionWriter writer) throws IOException {
    checkName(name, "model");
    Path modelDir = Files.createDirectories(root.resolve(name));
    Path staging = modelDir.resolve(".staging-" + UUID.randomUUID());
    try {
      Files.createDirectory(staging);
      writer.write(staging);
      try (Stream<Path> written = Files.list(staging)) {
        if (written.findAny().isEmpty()) {
          // A rename may replace an empty version folder, so a racing publisher could take an empty version.
          throw new IllegalStateException(
              "model \"" + name + "\": the writer wrote nothing, so no version is published");
        }
      }
      while (true) {
        long version = latestVersion(name).orElse(0) + 1;
        Path target = versionDir(name, version);
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          return version;
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the model repository's file system does not support atomic renames", e);
        } catch (FileSystemException e) {
          // Another publisher took this number first (Linux says "Directory not empty", not "File exists"):
          // take the next one.
          if (!Files.exists(target)) {
            throw e;
          }
        }
      }
    } finally {
      Folders.deleteTree(staging);
    }
  }
}
