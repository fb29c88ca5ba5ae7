package ddpm.containerimages;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image as Jib's buildTar writes it (the docker-archive format: manifest.json, config.json and one gzipped tar
 * per layer), unpacked with the system's tar: its tags, its run configuration, and its root filesystem, the layers
 * applied in order.
 */
final class ImageTarball {
  final List<String> tags;
  final List<String> entrypoint;
  final List<String> cmd;
  final String user;
  final List<String> env;
  final Path rootfs;

  private ImageTarball(JsonArray repoTags, JsonObject config, Path rootfs) {
    this.tags = strings(repoTags);
    JsonObject run = config.getAsJsonObject("config");
    this.entrypoint = strings(run.getAsJsonArray("Entrypoint"));
    this.cmd = strings(run.getAsJsonArray("Cmd"));
    this.user = run.has("User") ? run.get("User").getAsString() : "";
    this.env = strings(run.getAsJsonArray("Env"));
    this.rootfs = rootfs;
  }

  /** Unpacks {@code tarball} under {@code work}. */
  static ImageTarball unpack(Path tarball, Path work) throws IOException, InterruptedException {
    Path archive = Files.createDirectories(work.resolve("archive"));
    Path rootfs = Files.createDirectories(work.resolve("rootfs"));
    untar(archive, "-xf", tarball);
    JsonObject manifest = JsonParser.parseString(Files.readString(archive.resolve("manifest.json")))
        .getAsJsonArray().get(0).getAsJsonObject();
    for (JsonElement layer : manifest.getAsJsonArray("Layers")) {
      untar(rootfs, "-xzf", archive.resolve(layer.getAsString()));
    }
    JsonObject config = JsonParser.parseString(
        Files.readString(archive.resolve(manifest.get("Config").getAsString()))).getAsJsonObject();
    return new ImageTarball(manifest.getAsJsonArray("RepoTags"), config, rootfs);
  }

  /** Every regular file under {@code folder} of the image (absolute in the image, such as "/app/libs"). */
  List<String> files(String folder) throws IOException {
    Path base = rootfs.resolve(folder.substring(1));
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(base)) {
      return walk.filter(Files::isRegularFile).map(p -> "/" + rootfs.relativize(p)).sorted().toList();
    }
  }

  /** Whether a folder on the image's PATH holds {@code program} (a file or a link, as the image resolves it). */
  boolean onPath(String program) {
    return env.stream().filter(e -> e.startsWith("PATH=")).flatMap(e -> Stream.of(e.substring(5).split(":")))
        .anyMatch(dir -> Files.exists(file(dir).resolve(program), LinkOption.NOFOLLOW_LINKS));
  }

  /** A path of the image (absolute there) as the unpacked file here. */
  Path file(String pathInImage) {
    return rootfs.resolve(pathInImage.substring(1));
  }

  /** The Java classpath the entrypoint names with {@code -cp @FILE}, its entries mapped to the unpacked files. */
  String unpackedClasspath() throws IOException {
    String argFile = entrypoint.get(entrypoint.indexOf("-cp") + 1).substring(1);
    List<String> entries = new ArrayList<>();
    for (String entry : Files.readString(file(argFile), StandardCharsets.UTF_8).trim().split(":")) {
      entries.add(file(entry).toString());
    }
    return String.join(":", entries);
  }

  private static void untar(Path into, String mode, Path tarball) throws IOException, InterruptedException {
    Process tar = new ProcessBuilder("tar", mode, tarball.toString(), "-C", into.toString())
        .redirectErrorStream(true).start();
    // GNU tar warns about the LIBARCHIVE.creationtime headers Jib writes; only the exit code matters.
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (tar.waitFor() != 0) {
      throw new IOException("tar " + mode + " " + tarball + " failed: " + output);
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(e -> values.add(e.getAsString()));
    }
    return List.copyOf(values);
  }
}
