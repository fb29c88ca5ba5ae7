package ddpm.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonStreamParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The objects one or more kustomizations render to, as JSON, with look-ups by kind, name and labels. */
final class Manifests {
  private final List<JsonObject> objects;

  Manifests(List<JsonObject> objects) {
    this.objects = List.copyOf(objects);
  }

  /** Every object the kustomizations under {@code root} at {@code directories} render to, in order. */
  static Manifests render(Kubectl kubectl, Path root, String... directories)
      throws IOException, InterruptedException {
    List<JsonObject> objects = new ArrayList<>();
    for (String directory : directories) {
      JsonStreamParser parser = new JsonStreamParser(kubectl.toJson(kubectl.kustomize(root.resolve(directory))));
      parser.forEachRemaining(element -> objects.add(element.getAsJsonObject()));
    }
    return new Manifests(objects);
  }

  List<JsonObject> all() {
    return objects;
  }

  List<JsonObject> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(string(o, "kind"))).toList();
  }

  Optional<JsonObject> find(String kind, String namespace, String name) {
    return ofKind(kind).stream()
        .filter(o -> name.equals(string(o, "metadata", "name")) && namespace.equals(string(o, "metadata", "namespace")))
        .findFirst();
  }

  /** The Deployments whose pods carry every label of {@code selector} in {@code namespace}. */
  List<JsonObject> deploymentsSelectedBy(String namespace, JsonObject selector) {
    return ofKind("Deployment").stream()
        .filter(d -> namespace.equals(string(d, "metadata", "namespace")))
        .filter(d -> matches(selector, object(d, "spec", "template", "metadata", "labels")))
        .toList();
  }

  /** A copy with {@code change} applied to a deep copy of each object: for tests that break a rule on purpose. */
  Manifests with(UnaryOperator<JsonObject> change) {
    return new Manifests(objects.stream().map(o -> change.apply(o.deepCopy())).toList());
  }

  /** Whether {@code labels} has every key and value of {@code selector} (an absent selector matches nothing). */
  static boolean matches(JsonObject selector, JsonObject labels) {
    if (selector == null || labels == null) {
      return false;
    }
    for (Map.Entry<String, JsonElement> entry : selector.entrySet()) {
      JsonElement label = labels.get(entry.getKey());
      if (label == null || !label.getAsString().equals(entry.getValue().getAsString())) {
        return false;
      }
    }
    return true;
  }

  /** The element at {@code path} of field names, or null where any of them is missing. */
  static JsonElement at(JsonObject object, String... path) {
    JsonElement current = object;
    for (String field : path) {
      if (current == null || !current.isJsonObject()) {
        return null;
      }
      current = current.getAsJsonObject().get(field);
    }
    return current;
  }

  static JsonObject object(JsonObject object, String... path) {
    JsonElement element = at(object, path);
    return element != null && element.isJsonObject() ? element.getAsJsonObject() : null;
  }

  static List<JsonObject> objects(JsonObject object, String... path) {
    JsonElement element = at(object, path);
    if (element == null || !element.isJsonArray()) {
      return List.of();
    }
    return element.getAsJsonArray().asList().stream().map(JsonElement::getAsJsonObject).toList();
  }

  static String string(JsonObject object, String... path) {
    JsonElement element = at(object, path);
    return element != null && element.isJsonPrimitive() ? element.getAsString() : null;
  }

  /** kind/namespace/name, as messages name an object. */
  static String describe(JsonObject object) {
    String namespace = string(object, "metadata", "namespace");
    return string(object, "kind") + "/" + (namespace == null ? "" : namespace + "/")
        + string(object, "metadata", "name");
  }
}
