package ddpm.repository;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The model.json beside a SavedModel: what a sampler needs to drive the network. {@code details} keeps
 * every other field of the file (network configuration, training command, figures) as written.
 */
public record ModelCard(
    String name, List<Integer> imageShape, int timesteps, String schedule, String prediction, JsonObject details) {

  public static final String FILE_NAME = "model.json";
  public static final Set<String> SCHEDULES = Set.of("linear", "cosine");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  public ModelCard {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("model.json: name is missing");
    }
    if (imageShape == null || imageShape.size() != 3 || imageShape.stream().anyMatch(d -> d == null || d < 1)) {
      throw new IllegalArgumentException("model.json: image_shape must be [H, W, C] of positive sizes, got " + imageShape);
    }
    if (timesteps < 1) {
      throw new IllegalArgumentException("model.json: timesteps must be ≥ 1, got " + timesteps);
    }
    if (!SCHEDULES.contains(schedule)) {
      throw new IllegalArgumentException("model.json: schedule must be one of " + SCHEDULES + ", got " + schedule);
    }
    if (!"epsilon".equals(prediction)) {
      throw new IllegalArgumentException("model.json: prediction must be \"epsilon\", got " + prediction);
    }
    imageShape = List.copyOf(imageShape);
    details = details == null ? new JsonObject() : details.deepCopy();
  }

  public int height() {
    return imageShape.get(0);
  }

  public int width() {
    return imageShape.get(1);
  }

  public int channels() {
    return imageShape.get(2);
  }

  /** Reads and validates {@code dir/model.json}. */
  public static ModelCard read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
    }
    return fromJson(json);
  }

  public static ModelCard fromJson(JsonObject json) {
    JsonObject details = json.deepCopy();
    String name = string(details.remove("name"));
    JsonElement shape = details.remove("image_shape");
    List<Integer> imageShape = shape == null || !shape.isJsonArray()
        ? null
        : shape.getAsJsonArray().asList().stream().map(JsonElement::getAsInt).toList();
    JsonElement t = details.remove("timesteps");
    int timesteps = t == null ? 0 : t.getAsInt();
    return new ModelCard(name, imageShape, timesteps, string(details.remove("schedule")),
        string(details.remove("prediction")), details);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    json.addProperty("name", name);
    JsonArray shape = new JsonArray();
    imageShape.forEach(shape::add);
    json.add("image_shape", shape);
    json.addProperty("timesteps", timesteps);
    json.addProperty("schedule", schedule);
    json.addProperty("prediction", prediction);
    details.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
    return json;
  }

  public String toJsonString() {
    return GSON.toJson(toJson());
  }

  public void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(FILE_NAME), toJsonString() + "\n", StandardCharsets.UTF_8);
  }

  /** A copy with another name (a card is published under the repository folder's name). */
  public ModelCard withName(String newName) {
    return new ModelCard(newName, imageShape, timesteps, schedule, prediction, details);
  }

  private static String string(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }
}
