package ddpm.evaluation;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import ddpm.evaluation.core.RequestedClassScores;
import java.util.List;

/**
 * What {@code ddpm eval} prints, one JSON object with these fields in snake_case.
 *
 * @param frechetDistance between classifier features of the samples and of the reference images
 * @param floor the same distance for as many real training images as there are samples: what a perfect
 *     generator scores at this sample size, since the estimate is biased upwards for small sets
 * @param ratio frechetDistance / floor; 1 is indistinguishable from real data
 * @param classHistogram samples per predicted class
 * @param meanConfidence mean of each sample's largest class probability
 * @param classifierTestAccuracy the classifier's accuracy on the reference images, measured in this run
 * @param requestedClassAccuracy the share of samples predicted as the class they were requested as, overall and
 *     per requested class; null (left out of the JSON) when the samples carry no requested classes
 * @param requestedClassConfidence the mean probability of the requested class, likewise
 * @param requestedClassMisses each sample predicted as another class: its index in the order the samples were
 *     given, its requested and predicted class, and the predicted class's probability; likewise null without
 *     requested classes
 */
public record EvaluationReport(String dataset, int samples, int featureDimensions, int referenceImages,
    double frechetDistance, double floor, double ratio, long floorSeed, long[] classHistogram,
    double[] classFractions, double meanConfidence, double classifierTestAccuracy,
    RequestedClassScores.PerClass requestedClassAccuracy, RequestedClassScores.PerClass requestedClassConfidence,
    List<RequestedClassScores.Miss> requestedClassMisses) {
  private static final Gson GSON = new GsonBuilder()
      .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

  public String toJson() {
    return GSON.toJson(this);
  }
}
