package ddpm.trainer.checkpoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A complete checkpoint folder, {@code ckpt-<step>}; see {@link CheckpointStore} for what it holds. */
public record Checkpoint(Path dir, int step) {
  /** The TensorFlow checkpoint prefix of every variable: weights, moving averages, Adam's moments. */
  public Path variables() {
    return dir.resolve(CheckpointStore.VARIABLES);
  }

  /** The run description written with it: the step and the training configuration. */
  public JsonObject run() throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve(CheckpointStore.RUN_FILE))).getAsJsonObject();
  }

  public LossHistory losses() throws IOException {
    return LossHistory.read(dir.resolve(CheckpointStore.LOSSES_FILE));
  }
}
