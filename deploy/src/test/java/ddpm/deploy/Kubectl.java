package ddpm.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * kubectl, run offline: the one scripts/kubectl.sh finds (on PATH) or fetches once into deploy/target/tools/.
 * Only its client-side commands are used; no cluster is reached.
 */
final class Kubectl {
  private final Path executable;

  private Kubectl(Path executable) {
    this.executable = executable;
  }

  /** The project's kubectl; {@code root} is the project's root folder. */
  static Kubectl find(Path root) throws IOException, InterruptedException {
    return new Kubectl(Path.of(run(List.of(root.resolve("scripts/kubectl.sh").toString()), null).strip()));
  }

  /** The objects a kustomization renders to, as YAML. */
  String kustomize(Path directory) throws IOException, InterruptedException {
    return run(List.of(executable.toString(), "kustomize", directory.toString()), null);
  }

  /** The same objects as a stream of JSON objects, one after another (an empty patch applied locally). */
  String toJson(String yaml) throws IOException, InterruptedException {
    return run(List.of(executable.toString(), "patch", "--local", "-f", "-", "--type", "merge", "-p", "{}",
        "-o", "json"), yaml);
  }

  private static String run(List<String> command, String input) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).start();
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    try (var stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(String.join(" ", command) + " exited " + exit + ": " + stderr.join());
    }
    return stdout.join();
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
