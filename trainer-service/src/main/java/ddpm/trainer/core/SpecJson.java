package ddpm.trainer.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A training configuration as JSON with the request's field names, derived from the {@link TrainingSpec} and
 * {@link EpsNetConfig} records: the request's own JSON (which protobuf's JsonFormat turns into the message and
 * back), the "network" of model.json, and the "spec" of a checkpoint's run.json, which a resumed request is
 * compared with.
 */
public final class SpecJson {
  private static final RecordJson JSON = new RecordJson(List.of(
      new RecordJson.Names<>(ScheduleKind.class, ScheduleKind::wireName, ScheduleKind::parse),
      new RecordJson.Names<>(Architecture.class, Architecture::wireName, Architecture::parse)));
  private static final String RESUME = "resume";
  private static final String INIT_FROM_MODEL = "init_from_model";
  private static final String INIT_FROM_VERSION = "init_from_version";
  private static final String CLASS_COND = "class_cond";
  private static final String P2_GAMMA = "p2_gamma";

  private SpecJson() {}

  /** Every field of the request as JSON: what the job runs, defaults filled in. */
  public static JsonObject request(TrainingSpec s) {
    return JSON.write(s);
  }

  /** The validated spec of a request's JSON; IllegalArgumentException naming the field otherwise. */
  public static TrainingSpec fromRequest(JsonObject request) {
    return JSON.read(TrainingSpec.class, request);
  }

  /** The fields the network has: an architecture without levels records none of the level fields. */
  public static JsonObject network(EpsNetConfig n) {
    return JSON.write(n);
  }

  /**
   * Everything that shapes the run's result, as run.json and model.json record it: {@code resume} is how a run
   * started, not what it is, so it is left out, and a published starting version is one "init_from":
   * "name:version". An unconditional run records no class_cond, and a run on L_simple no p2_gamma, as every run did
   * before those fields existed.
   */
  public static JsonObject spec(TrainingSpec s) {
    JsonObject json = request(s);
    json.remove(RESUME);
    if (!s.classCond()) {
      json.remove(CLASS_COND);
    }
    if (s.lossWeighting().isUniform()) {
      json.remove(P2_GAMMA);
    }
    json.remove(INIT_FROM_MODEL);
    json.remove(INIT_FROM_VERSION);
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
}
