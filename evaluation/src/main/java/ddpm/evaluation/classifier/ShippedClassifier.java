package ddpm.evaluation.classifier;

import ddpm.repository.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The classifier committed under this module's resources, {@value #RESOURCES}. TensorFlow loads a
 * SavedModel only from a folder, and the resources may sit inside a jar, so the files are copied to a
 * temporary folder for the load and removed after it: loading reads the weights into memory.
 */
public final class ShippedClassifier {
  public static final String RESOURCES = "/ddpm/evaluation/mnist-classifier/";
  public static final String CARD = "classifier.json";
  static final List<String> MODEL_FILES =
      List.of("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001");

  private ShippedClassifier() {}

  static <T> T open(Function<Path, T> load) throws IOException {
    Path dir = Files.createTempDirectory("ddpm-mnist-classifier");
    try {
      for (String name : MODEL_FILES) {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = resource(name)) {
          Files.copy(in, target);
        }
      }
      return load.apply(dir);
    } finally {
      Folders.deleteTree(dir);
    }
  }

  /** The shipped classifier's card: how it was trained and what it scored. */
  public static ClassifierCard card() throws IOException {
    try (InputStream in = resource(CARD)) {
      return ClassifierCard.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = ShippedClassifier.class.getResourceAsStream(RESOURCES + name);
    if (in == null) {
      throw new IOException("the classifier resource " + RESOURCES + name + " is missing from the classpath");
    }
    return in;
  }
}
