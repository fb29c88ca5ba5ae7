package ddpm.diffusion.guidance;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import java.util.Arrays;
import java.util.Map;

/**
 * The classes a sampling run asks for and how strongly it is guided towards them (docs/math.md §11): for a
 * class-conditional model, one label per image as the extra input {@value #LABEL_INPUT} of every ε_θ call (the null
 * label for a run that asks for no class), and ε_θ wrapped in {@link ClassifierFreeGuidance} when w &gt; 0, at every
 * step or within a {@link GuidanceInterval}. An
 * unconditional model gets no extra input and its ε_θ unchanged. The labels never touch the noise: an image draws
 * the same x_T and z whatever its class.
 */
public final class ClassConditioning {
  /** The class label input of a class-conditional network, int32 [N], as improved-diffusion names it. */
  public static final String LABEL_INPUT = "y";

  private final int[] labels;
  private final ExtraInputs inputs;
  private final int nullLabel;
  private final double guidanceScale;
  private final GuidanceInterval interval;

  private ClassConditioning(int[] labels, ExtraInputs inputs, int nullLabel, double guidanceScale,
      GuidanceInterval interval) {
    this.labels = labels;
    this.inputs = inputs;
    this.nullLabel = nullLabel;
    this.guidanceScale = guidanceScale;
    this.interval = interval;
  }

  /**
   * The conditioning of {@code numImages} images of a model with {@code numClasses} classes (0: unconditional) and
   * null label {@code nullLabel}. {@code classLabels} is empty (no class), one label for every image, or one per
   * image. IllegalArgumentException naming class_labels or guidance_scale for labels an unconditional model cannot
   * take, a label outside [0, numClasses), another count of labels, a negative or non-finite w, or w &gt; 0 without
   * labels.
   */
  public static ClassConditioning of(int[] classLabels, double guidanceScale, int numImages, int numClasses,
      int nullLabel) {
    checkGuidanceScale(guidanceScale);
    if (classLabels.length > 0 && numClasses == 0) {
      throw new IllegalArgumentException("class_labels: the model is unconditional (it has no classes); "
          + "send no labels");
    }
    if (classLabels.length > 1 && classLabels.length != numImages) {
      throw new IllegalArgumentException("class_labels: give one label for every image or one per image ("
          + numImages + "), got " + classLabels.length);
    }
    for (int i = 0; i < classLabels.length; i++) {
      if (classLabels[i] < 0 || classLabels[i] >= numClasses) {
        throw new IllegalArgumentException("class_labels: each label must be in [0, " + numClasses + "), label "
            + i + " is " + classLabels[i]);
      }
    }
    if (guidanceScale > 0 && classLabels.length == 0) {
      throw new IllegalArgumentException("guidance_scale: guidance towards a class needs class_labels, got w = "
          + guidanceScale + " without labels");
    }
    int[] labels = classLabels.length == 1 ? filled(numImages, classLabels[0]) : classLabels.clone();
    if (numClasses == 0) {
      return new ClassConditioning(labels, ExtraInputs.NONE, nullLabel, 0, GuidanceInterval.EVERY_STEP);
    }
    int[] fed = labels.length == 0 ? filled(numImages, nullLabel) : labels;
    return new ClassConditioning(labels, ExtraInputs.of(Map.of(LABEL_INPUT, ExtraInput.int32(fed))), nullLabel,
        guidanceScale, GuidanceInterval.EVERY_STEP);
  }

  /**
   * This run guided only at the timesteps in {@code interval} of a {@code timesteps}-step schedule.
   * IllegalArgumentException naming guidance_interval when there is no guidance to limit (w = 0) or the interval
   * reaches beyond the schedule.
   */
  public ClassConditioning guidedWithin(GuidanceInterval interval, int timesteps) {
    if (guidanceScale == 0) {
      throw new IllegalArgumentException("guidance_interval limits where guidance applies, so it needs "
          + "guidance_scale > 0");
    }
    interval.checkWithin(timesteps);
    return new ClassConditioning(labels, inputs, nullLabel, guidanceScale, interval);
  }

  static int[] filled(int n, int label) {
    int[] out = new int[n];
    Arrays.fill(out, label);
    return out;
  }

  /** IllegalArgumentException naming guidance_scale unless w is finite and ≥ 0. */
  public static void checkGuidanceScale(double guidanceScale) {
    if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException("guidance_scale must be finite and ≥ 0, got " + guidanceScale);
    }
  }

  /** The class of each image, one per image; empty when the run asks for no class. */
  public int[] labels() {
    return labels.clone();
  }

  /** What every ε_θ call of the run carries besides x_t and t: the labels, or nothing for an unconditional model. */
  public ExtraInputs inputs() {
    return inputs;
  }

  /** The most images of an ε_θ call for a run of {@code numImages}: twice as many under guidance. */
  public int imagesPerCall(int numImages) {
    return guidanceScale > 0 ? 2 * numImages : numImages;
  }

  /** ε_θ as the run calls it: guided when w &gt; 0, else {@code model} itself (one call of N images per step). */
  public EpsModel guide(EpsModel model) {
    return guidanceScale > 0 ? new ClassifierFreeGuidance(model, nullLabel, guidanceScale, interval) : model;
  }
}
