package ddpm.evaluation.data;

/**
 * Generated images and, when the images were drawn from a class-conditional model, the class each one was asked
 * for.
 *
 * @param requestedClasses one per image, or null when the samples carry no labels
 */
public record SampleSet(Images images, int[] requestedClasses) {

  public SampleSet {
    if (requestedClasses != null && requestedClasses.length != images.count()) {
      throw new IllegalArgumentException(
          requestedClasses.length + " requested classes for " + images.count() + " images");
    }
  }

  public boolean hasRequestedClasses() {
    return requestedClasses != null;
  }
}
