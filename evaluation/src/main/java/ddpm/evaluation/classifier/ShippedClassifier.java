package ddpm.evaluation.classifier;

import ddpm.evaluation.data.ReferenceDataset;
import ddpm.repository.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The classifiers committed under this module's resources, one per data set in
 * {@code /ddpm/evaluation/<dataset>-classifier/}. TensorFlow loads a SavedModel only from a folder, and the
 * resources may sit inside a jar, so the files are copied to a temporary folder for the load and removed after
 * it: loading reads the weights into memory.
 */
public final class ShippedClassifier {
  public static final String CARD = "classifier.json";
  static final List<String> MODEL_FILES =
      List.of("saved_model.pb", "variables/variables.index", "variables/variables.data-00000-of-00001");

  private ShippedClassifier() {}

  /** The resource folder of {@code dataset}'s classifier, ending in "/". */
  public static String resources(ReferenceDataset dataset) {
    return "/ddpm/evaluation/" + dataset.id() + "-classifier/";
  }

  static <T> T open(ReferenceDataset dataset, Function<Path, T> load) throws IOException {
    Path dir = Files.createTempDirectory("ddpm-" + dataset.id() + "-classifier");
    try {
      for (String name : MODEL_FILES) {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = resource(dataset, name)) {
          Files.copy(in, target);
        }
      }
      return load.apply(dir);
    } finally {
      Folders.deleteTree(dir);
    }
  }

  /** The card of {@code dataset}'s shipped classifier: how it was trained and what it scored. */
  public static ClassifierCard card(ReferenceDataset dataset) throws IOException {
    try (InputStream in = resource(dataset, CARD)) {
      return ClassifierCard.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static InputStream resource(ReferenceDataset dataset, String name) throws IOException {
    String path = resources(dataset) + name;
    InputStream in = ShippedClassifier.class.getResourceAsStream(path);
    if (in == null) {
      throw new IOException("the classifier resource " + path + " is missing from the classpath");
    }
    return in;
  }
}
