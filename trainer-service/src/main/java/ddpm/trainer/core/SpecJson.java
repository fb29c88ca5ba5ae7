package ddpm.trainer.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import ddpm.trainer.graph.EpsNetConfig;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A training configuration as JSON with the request's field names: the "network" of model.json and the
 * "spec" of a checkpoint's run.json, which a resumed request is compared with.
 */
public final class SpecJson {
  private SpecJson() {}

  public static JsonObject network(EpsNetConfig n) {
    JsonObject json = new JsonObject();
    json.addProperty("architecture", n.architecture().wireName());
    json.addProperty("base_channels", n.baseChannels());
    if (n.architecture().hasLevels()) {
      json.add("channel_mult", array(n.channelMult()));
      json.addProperty("num_res_blocks", n.numResBlocks());
      json.add("attention_resolutions", array(n.attentionResolutions()));
    }
    json.addProperty("dropout", n.dropout());
    return json;
  }

  /** Everything that shapes the run's result; {@code resume} is how a run started, not what it is, so it is left out. */
  public static JsonObject spec(TrainingSpec s) {
    JsonObject json = new JsonObject();
    json.addProperty("dataset", s.dataset());
    json.addProperty("model_name", s.modelName());
    json.add("network", network(s.network()));
    json.addProperty("steps", s.steps());
    json.addProperty("batch_size", s.batchSize());
    json.addProperty("learning_rate", s.learningRate());
    // The request's seed is a uint64: write it unsigned, as a JSON number.
    json.addProperty("seed", new BigInteger(Long.toUnsignedString(s.seed())));
    json.addProperty("schedule", s.schedule().wireName());
    json.addProperty("timesteps", s.timesteps());
    json.addProperty("checkpoint_every", s.checkpointEvery());
    json.addProperty("ema_decay", s.emaDecay());
    json.addProperty("warmup_steps", s.warmupSteps());
    json.addProperty("grad_clip_norm", s.gradClipNorm());
    if (s.startsFromPublished()) {
      json.addProperty("init_from", s.initFromModel() + ":" + s.initFromVersion());
    }
    return json;
  }

  /**
   * The fields, by dotted name ("network.dropout"), whose values differ between a stored spec and a request,
   * ignoring those named in {@code ignored}: "batch_size: 64 in the checkpoint, 128 in the request" where
   * {@code stored} is "the checkpoint".
   */
  public static List<String> differences(JsonObject stored, String storedLabel, JsonObject request,
      Set<String> ignored) {
    List<String> found = new ArrayList<>();
    compare("", stored, request, storedLabel, ignored, found);
    return found;
  }

  private static void compare(String prefix, JsonObject a, JsonObject b, String aLabel, Set<String> ignored,
      List<String> found) {
    List<String> keys = new ArrayList<>(a.keySet());
    b.keySet().stream().filter(k -> !a.has(k)).forEach(keys::add);
    for (String key : keys) {
      String name = prefix + key;
      if (ignored.contains(name)) {
        continue;
      }
      JsonElement x = a.get(key);
      JsonElement y = b.get(key);
      if (x != null && y != null && x.isJsonObject() && y.isJsonObject()) {
        compare(name + ".", x.getAsJsonObject(), y.getAsJsonObject(), aLabel, ignored, found);
      } else if (!sameValue(x, y)) {
        found.add(name + ": " + x + " in " + aLabel + ", " + y + " in the request");
      }
    }
  }

  /** Numbers compare by value (a stored 64 and 64.0 are the same), everything else by JSON equality. */
  private static boolean sameValue(JsonElement x, JsonElement y) {
    if (x == null || y == null) {
      return x == y;
    }
    if (x.isJsonPrimitive() && y.isJsonPrimitive() && x.getAsJsonPrimitive().isNumber()
        && y.getAsJsonPrimitive().isNumber()) {
      return x.getAsBigDecimal().compareTo(y.getAsBigDecimal()) == 0;
    }
    return x.equals(y);
  }

  private static JsonArray array(List<Integer> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }
}
