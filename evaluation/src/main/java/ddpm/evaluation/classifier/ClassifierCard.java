package ddpm.evaluation.classifier;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * classifier.json, written beside the SavedModel by the training command: enough to judge the classifier
 * and to train it again.
 *
 * @param dataset the {@code ReferenceDataset} id it was trained on, and whose test half it was measured on
 * @param testAccuracy the fraction of that test half classified correctly
 * @param command the command line that produced this classifier
 */
public record ClassifierCard(String dataset, String architecture, int featureDimensions, double testAccuracy, int testImages,
    int trainImages, int epochs, int batchSize, double learningRate, long seed, double trainSeconds,
    String command) {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  public static ClassifierCard parse(String json) {
    return GSON.fromJson(json, ClassifierCard.class);
  }

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }
}
