package ddpm.diffusion.guidance;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, docs/math.md §11) around a class-conditional ε_θ:
 * ε = (1 + w)·ε(x_t, y) − w·ε(x_t, ∅). Both halves come from ONE call of the wrapped model with 2N images, the N
 * images with their labels followed by the same N with the null label, so a remote denoiser sees one request per
 * step. The labels are the batch's extra input {@value ClassConditioning#LABEL_INPUT}; any other extra input goes to
 * both halves unchanged. Each image's ε depends only on its own x_t, t and label, whatever else is in the batch.
 * With a {@link GuidanceInterval}, an image whose t lies outside it gets w = 0, and a call with no image inside it
 * is one call of the N conditional images.
 */
public final class ClassifierFreeGuidance implements EpsModel {
  private final EpsModel conditional;
  private final int nullLabel;
  private final double scale;
  private final GuidanceInterval interval;

  /**
   * Guidance at the steps whose timestep lies in {@code interval} ({@link GuidanceInterval#EVERY_STEP}: at every
   * step); {@code scale} is w, finite and ≥ 0 (see {@link ClassConditioning#checkGuidanceScale}).
   */
  ClassifierFreeGuidance(EpsModel conditional, int nullLabel, double scale, GuidanceInterval interval) {
    ClassConditioning.checkGuidanceScale(scale);
    this.conditional = conditional;
    this.nullLabel = nullLabel;
    this.scale = scale;
    this.interval = interval;
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    return predict(xt, t, ExtraInputs.NONE);
  }

  @Override
  public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
    if (!inputs.asMap().containsKey(ClassConditioning.LABEL_INPUT)) {
      throw new IllegalArgumentException("guidance needs the class labels as the extra input \""
          + ClassConditioning.LABEL_INPUT + "\", got " + inputs.asMap().keySet());
    }
    if (Arrays.stream(t).noneMatch(interval::contains)) {
      return conditional.predict(xt, t, inputs);
    }
    int n = t.length;
    Map<String, ExtraInput> unconditional = new TreeMap<>(inputs.asMap());
    unconditional.put(ClassConditioning.LABEL_INPUT, ExtraInput.int32(ClassConditioning.filled(n, nullLabel)));
    float[] both = conditional.predict(twice(xt), twice(t),
        ExtraInputs.concat(List.of(inputs, ExtraInputs.of(unconditional))));
    if (both.length != 2 * xt.length) {
      throw new IllegalStateException("the denoiser returned " + both.length + " values for " + 2 * xt.length
          + " inputs");
    }
    float[] eps = new float[xt.length];
    int perImage = xt.length / n;
    for (int j = 0; j < eps.length; j++) {
      double w = interval.contains(t[j / perImage]) ? scale : 0;
      eps[j] = (float) ((1 + w) * both[j] - w * both[xt.length + j]);
    }
    return eps;
  }

  private static float[] twice(float[] values) {
    float[] out = Arrays.copyOf(values, 2 * values.length);
    System.arraycopy(values, 0, out, values.length, values.length);
    return out;
  }

  private static int[] twice(int[] values) {
    int[] out = Arrays.copyOf(values, 2 * values.length);
    System.arraycopy(values, 0, out, values.length, values.length);
    return out;
  }
}
