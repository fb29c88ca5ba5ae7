package ddpm.trainer.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import ddpm.repository.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of each model, keyed by model name so that a later job can resume them:
 *
 * <pre>
 * &lt;workDir&gt;/&lt;model&gt;/ckpt-&lt;step&gt;/variables.{index,data-*}   every variable (TensorFlow checkpoint)
 *                               run.json                  {"step", "spec": the training configuration}
 *                               losses.f32                the loss of steps 1..step, little-endian float32
 * </pre>
 *
 * A checkpoint is written under a hidden name and renamed in one atomic step, so a folder named ckpt-N is
 * always complete; after each write only the newest {@link #KEPT} remain. Other files beside them (the
 * previews) are not the store's business.
 */
public final class CheckpointStore {
  public static final int KEPT = 3;
  public static final String VARIABLES = "variables";
  public static final String RUN_FILE = "run.json";
  public static final String LOSSES_FILE = "losses.f32";
  /** Model names cannot contain '~', so this suffix never collides with a model's folder. */
  public static final String SET_ASIDE_SUFFIX = "~previous";
  private static final Pattern FOLDER = Pattern.compile("ckpt-(\\d+)");

  private final Path workDir;

  public CheckpointStore(Path workDir) {
    this.workDir = workDir;
  }

  public Path modelDir(String model) {
    return workDir.resolve(model);
  }

  /** {@code path}, a file or folder this store made, relative to the work folder: {@code mnist/ckpt-200}. */
  public Path inWorkFolder(Path path) {
    return workDir.relativize(path);
  }

  /** The complete checkpoints of {@code model}, oldest first. */
  public List<Checkpoint> list(String model) throws IOException {
    Path dir = modelDir(model);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Checkpoint> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        Matcher m = FOLDER.matcher(entry.getFileName().toString());
        if (m.matches() && Files.isDirectory(entry)) {
          found.add(new Checkpoint(entry, Integer.parseInt(m.group(1))));
        }
      }
    }
    found.sort(Comparator.comparingInt(Checkpoint::step));
    return found;
  }

  public Optional<Checkpoint> latest(String model) throws IOException {
    List<Checkpoint> all = list(model);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Writes checkpoint {@code step}: {@code saveVariables} is given the variables prefix to save to.
   * Replaces an existing checkpoint of the same step, then drops all but the newest {@link #KEPT}.
   */
  public Checkpoint write(String model, int step, Consumer<Path> saveVariables, JsonObject run, LossHistory losses)
      throws IOException {
    Path dir = modelDir(model);
    Files.createDirectories(dir);
    String name = "ckpt-" + step;
    Path target = dir.resolve(name);
    Path partial = dir.resolve("." + name + ".partial");
    Folders.deleteTree(partial);
    Files.createDirectory(partial);
    try {
      saveVariables.accept(partial.resolve(VARIABLES));
      Files.writeString(partial.resolve(RUN_FILE),
          new GsonBuilder().setPrettyPrinting().create().toJson(run), StandardCharsets.UTF_8);
      losses.write(partial.resolve(LOSSES_FILE));
      Folders.deleteTree(target);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Folders.deleteTree(partial);
    }
    List<Checkpoint> all = list(model);
    for (Checkpoint old : all.subList(0, Math.max(0, all.size() - KEPT))) {
      Folders.deleteTree(old.dir());
    }
    return new Checkpoint(target, step);
  }

  /**
   * Moves the model's folder (checkpoints and previews) to {@code <model>~previous}, replacing an older one,
   * so a fresh run starts clean but one run started by mistake instead of resuming destroys nothing.
   */
  public void setAside(String model) throws IOException {
    Path dir = modelDir(model);
    if (!Files.exists(dir)) {
      return;
    }
    Path aside = workDir.resolve(model + SET_ASIDE_SUFFIX);
    Folders.deleteTree(aside);
    Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
  }
}
