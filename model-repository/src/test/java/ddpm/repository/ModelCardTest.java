package ddpm.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelCardTest {
  private static final String CARD = """
      {
        "name": "digits",
        "image_shape": [28, 28, 1],
        "timesteps": 1000,
        "schedule": "linear",
        "prediction": "epsilon",
        "network": {"architecture": "unet", "channels": 32},
        "training": {"steps": 4000}
      }""";

  @TempDir Path dir;

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void readsTheFieldsASamplerNeedsAndKeepsTheRestAsWritten() {
    ModelCard card = ModelCard.fromJson(json(CARD));
    assertEquals("digits", card.name());
    assertEquals(List.of(28, 28, 1), card.imageShape());
    assertEquals(28, card.height());
    assertEquals(1, card.channels());
    assertEquals(1000, card.timesteps());
    assertEquals("linear", card.schedule());
    assertEquals(EpsContract.PREDICTION, card.prediction());
    assertEquals(json("{\"network\": {\"architecture\": \"unet\", \"channels\": 32}, \"training\": {\"steps\": 4000}}"),
        card.details());
  }

  @Test
  void aCardWithoutAFormatIsATensorFlowSavedModelAndSaysSoWhenWritten() throws IOException {
    ModelCard card = ModelCard.fromJson(json(CARD));
    assertEquals(EpsContract.TENSORFLOW_SAVED_MODEL, card.format());

    card.write(dir);
    JsonObject written = json(Files.readString(dir.resolve(ModelCard.FILE_NAME)));
    assertEquals(EpsContract.TENSORFLOW_SAVED_MODEL, written.get("format").getAsString());
    assertEquals(card, ModelCard.read(dir));
  }

  @Test
  void keepsAFormatItDoesNotKnowForTheDenoiserToJudge() {
    JsonObject other = json(CARD);
    other.addProperty("format", "onnx");
    ModelCard card = ModelCard.fromJson(other);
    assertEquals("onnx", card.format());
    assertFalse(card.details().has("format"));
    assertEquals(card, ModelCard.fromJson(card.toJson()));
  }

  @Test
  void everyShippedCardReads() throws IOException {
    try (Stream<Path> cards = Files.walk(Path.of("../models"))) {
      List<Path> dirs = cards.filter(p -> p.getFileName().toString().equals(ModelCard.FILE_NAME))
          .map(Path::getParent).toList();
      assertFalse(dirs.isEmpty());
      for (Path version : dirs) {
        ModelCard card = ModelCard.read(version);
        assertEquals(EpsContract.TENSORFLOW_SAVED_MODEL, card.format(), version.toString());
        assertEquals(version.getParent().getFileName().toString(), card.name(), version.toString());
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "name        | null                | name is missing",
      "name        | '\"  \"'            | name is missing",
      "name        | 7                   | name must be a string",
      "image_shape | '[28, 28]'          | image_shape must be [H, W, C]",
      "image_shape | '[28, 0, 1]'        | image_shape must be [H, W, C]",
      "image_shape | '[28, 2.5, 1]'      | image_shape must be an array of integers, got 2.5",
      "image_shape | '\"28x28\"'         | image_shape must be an array",
      "timesteps   | null                | timesteps is missing",
      "timesteps   | 0                   | timesteps must be ≥ 1",
      "timesteps   | '\"many\"'          | timesteps must be an integer",
      "timesteps   | 1e12                | timesteps must be an integer",
      "schedule    | '\"sigmoid\"'       | schedule must be one of",
      "prediction  | '\"v\"'             | prediction must be \"epsilon\"",
      "prediction  | null                | prediction must be \"epsilon\"",
      "format      | '\" \"'             | format must name the network's format",
      "format      | '{\"engine\": \"tf\"}' | format must be a string",
  })
  void refusesABadFieldByName(String field, String value, String message) {
    JsonObject bad = json(CARD);
    bad.remove(field);
    if (!value.equals("null")) {
      bad.add(field, JsonParser.parseString(value));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(bad));
    assertTrue(e.getMessage().startsWith("model.json: " + field), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /** By its name alone: the message reaches clients, who must not learn where the repository is. */
  @Test
  void aFileThatIsNotAJsonObjectIsNamed() throws IOException {
    Files.writeString(dir.resolve(ModelCard.FILE_NAME), "[1, 2]");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.read(dir));
    assertTrue(e.getMessage().startsWith("model.json is not a JSON object"), e.getMessage());
    assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void withNameChangesOnlyTheName() {
    ModelCard card = ModelCard.fromJson(json(CARD));
    ModelCard renamed = card.withName("other");
    assertEquals("other", renamed.name());
    assertEquals(card, renamed.withName("digits"));
  }

  @Test
  void aClassConditionalCardNamesItsClassesAndNullLabelAndAnUnconditionalOneHasNone() {
    ModelCard unconditional = ModelCard.fromJson(json(CARD));
    assertEquals(0, unconditional.numClasses());
    assertEquals(0, unconditional.nullLabel());
    JsonObject conditional = json(CARD);
    conditional.addProperty("num_classes", 10);
    conditional.addProperty("null_label", 10);
    ModelCard card = ModelCard.fromJson(conditional);
    assertEquals(10, card.numClasses());
    assertEquals(10, card.nullLabel());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"num_classes\": 0, \"null_label\": 0 | num_classes must be an integer ≥ 1",
      "\"num_classes\": 2.5, \"null_label\": 3 | num_classes must be an integer ≥ 1",
      "\"num_classes\": 10 | null_label must be an integer outside [0, 10), it is missing",
      "\"num_classes\": 10, \"null_label\": 3 | null_label must be an integer outside [0, 10), got 3",
      "\"num_classes\": 10, \"null_label\": \"x\" | null_label must be an integer outside [0, 10)",
      "\"null_label\": 10 | null_label needs num_classes"})
  void refusesClassesThatCannotBeFedNamingTheField(String fields, String message) {
    JsonObject json = json(CARD.replace("\"prediction\"", fields + ", \"prediction\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.fromJson(json));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
