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
 * The model.json beside a model version's network: what a sampler needs to drive the network, and the
 * {@code format} the network is stored in, which tells the denoiser how to load it ({@link EpsContract}); a
 * card without {@code format} means {@value EpsContract#DEFAULT_FORMAT}. {@code details} keeps every other field
 * of the file (network configuration, training command, figures) as written.
 */
public record ModelCard(String name, List<Integer> imageShape, int timesteps, String schedule, String prediction,
    String format, JsonObject details) {

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
    if (!EpsContract.PREDICTION.equals(prediction)) {
      throw new IllegalArgumentException(
          "model.json: prediction must be \"" + EpsContract.PREDICTION + "\", got " + prediction);
    }
    if (format == null) {
      format = EpsContract.DEFAULT_FORMAT;
    }
    if (format.isBlank()) {
      throw new IllegalArgumentException("model.json: format must name the network's format, such as \""
          + EpsContract.TENSORFLOW_SAVED_MODEL + "\", or be left out; got \"" + format + "\"");
    }
    imageShape = List.copyOf(imageShape);
    details = details == null ? new JsonObject() : details.deepCopy();
    classes(details);
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

  /**
   * A class-conditional network's number of classes, model.json's {@value EpsContract#NUM_CLASSES} (labels
   * 0..num_classes − 1, fed as the input {@value EpsContract#Y}); 0 for an unconditional network, whose card has
   * neither field.
   */
  public int numClasses() {
    return classes(details)[0];
  }

  /**
   * The label that asks a class-conditional network for no class, model.json's {@value EpsContract#NULL_LABEL}
   * (outside [0, num_classes)); 0 for an unconditional network.
   */
  public int nullLabel() {
    return classes(details)[1];
  }

  /** {num_classes, null_label}, both 0 when absent; IllegalArgumentException naming the field that is wrong. */
  private static int[] classes(JsonObject details) {
    JsonElement numClasses = details.get(EpsContract.NUM_CLASSES);
    JsonElement nullLabel = details.get(EpsContract.NULL_LABEL);
    if (numClasses == null || numClasses.isJsonNull()) {
      if (nullLabel != null && !nullLabel.isJsonNull()) {
        throw new IllegalArgumentException("model.json: " + EpsContract.NULL_LABEL + " needs "
            + EpsContract.NUM_CLASSES + ", which is missing");
      }
      return new int[] {0, 0};
    }
    int classes = asInt(numClasses, EpsContract.NUM_CLASSES + " must be an integer ≥ 1");
    if (classes < 1) {
      throw new IllegalArgumentException(
          "model.json: " + EpsContract.NUM_CLASSES + " must be an integer ≥ 1, got " + classes);
    }
    String expected = EpsContract.NULL_LABEL + " must be an integer outside [0, " + classes + ")";
    if (nullLabel == null || nullLabel.isJsonNull()) {
      throw new IllegalArgumentException("model.json: " + expected + ", it is missing");
    }
    int none = asInt(nullLabel, expected);
    if (none >= 0 && none < classes) {
      throw new IllegalArgumentException("model.json: " + expected + ", got " + none);
    }
    return new int[] {classes, none};
  }

  /** Reads and validates {@code dir/model.json}. */
  public static ModelCard read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(FILE_NAME + " is not a JSON object: " + e.getMessage(), e);
    }
    return fromJson(json);
  }

  /** Every field error is an IllegalArgumentException that names the field. */
  public static ModelCard fromJson(JsonObject json) {
    JsonObject details = json.deepCopy();
    String name = string(details, "name");
    List<Integer> imageShape = integers(details, "image_shape");
    Integer timesteps = integer(details, "timesteps");
    if (timesteps == null) {
      throw new IllegalArgumentException("model.json: timesteps is missing");
    }
    return new ModelCard(name, imageShape, timesteps, string(details, "schedule"), string(details, "prediction"),
        string(details, "format"), details);
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
    json.addProperty("format", format);
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
    return new ModelCard(newName, imageShape, timesteps, schedule, prediction, format, details);
  }

  /** Removes {@code field} from {@code json}: its string, or null when absent. */
  private static String string(JsonObject json, String field) {
    JsonElement e = json.remove(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("model.json: " + field + " must be a string, got " + e);
    }
    return e.getAsString();
  }

  private static Integer integer(JsonObject json, String field) {
    JsonElement e = json.remove(field);
    return e == null || e.isJsonNull() ? null : asInt(e, field + " must be an integer");
  }

  private static List<Integer> integers(JsonObject json, String field) {
    JsonElement e = json.remove(field);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    String expected = field + " must be an array of integers";
    if (!e.isJsonArray()) {
      throw new IllegalArgumentException("model.json: " + expected + ", got " + e);
    }
    return e.getAsJsonArray().asList().stream().map(element -> asInt(element, expected)).toList();
  }

  /** {@code expected} says what the field must be, for the error. */
  private static int asInt(JsonElement e, String expected) {
    try {
      if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
        return e.getAsBigDecimal().intValueExact();
      }
    } catch (ArithmeticException | NumberFormatException notAnInt) {
      // Reported below with the field's name.
    }
    throw new IllegalArgumentException("model.json: " + expected + ", got " + e);
  }
}
