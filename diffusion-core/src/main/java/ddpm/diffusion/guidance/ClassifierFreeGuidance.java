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
 */
public final class ClassifierFreeGuidance implements EpsModel {
  private final EpsModel conditional;
  private final int nullLabel;
  private final double scale;

  /** {@code scale} is w, finite and ≥ 0 (see {@link ClassConditioning#checkGuidanceScale}). */
  public ClassifierFreeGuidance(EpsModel conditional, int nullLabel, double scale) {
    ClassConditioning.checkGuidanceScale(scale);
    this.conditional = conditional;
    this.nullLabel = nullLabel;
    this.scale = scale;
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
    for (int j = 0; j < eps.length; j++) {
      eps[j] = (float) ((1 + scale) * both[j] - scale * both[xt.length + j]);
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
