package ddpm.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassConditioningTest {
  /** A model that records its calls and answers ε = x_t + 10·y + t, so each row shows the label it was given. */
  private static final class Recorder implements EpsModel {
    final List<ExtraInputs> calls = new ArrayList<>();

    @Override
    public float[] predict(float[] xt, int[] t) {
      throw new AssertionError("called without labels");
    }

    @Override
    public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
      calls.add(inputs);
      int[] y = inputs.asMap().get(ClassConditioning.LABEL_INPUT).ints();
      float[] eps = new float[xt.length];
      int per = xt.length / t.length;
      for (int j = 0; j < eps.length; j++) {
        eps[j] = xt[j] + 10 * y[j / per] + t[j / per];
      }
      return eps;
    }
  }

  @Test
  void guidanceMakesOneCallOfTheLabelledHalfThenTheNullHalfAndCombinesThem() {
    Recorder model = new Recorder();
    ClassConditioning classes = ClassConditioning.of(new int[] {2, 0}, 1.5, 2, 3, 3);
    float[] xt = {0.5f, -1, 2, 0.25f};
    int[] t = {7, 9};
    float[] eps = classes.guide(model).predict(xt, t, classes.inputs());
    assertEquals(1, model.calls.size());
    assertEquals(labels(2, 0, 3, 3), model.calls.get(0));
    float[] expected = new float[4];
    for (int j = 0; j < 4; j++) {
      int image = j / 2;
      double conditional = xt[j] + 10 * classes.labels()[image] + t[image];
      double unconditional = xt[j] + 10 * 3 + t[image];
      expected[j] = (float) (2.5 * conditional - 1.5 * unconditional);
    }
    assertArrayEquals(expected, eps, 1e-5f);
  }

  @Test
  void withinAnIntervalOnlyImagesAtItsTimestepsAreGuidedAndACallWithNoneIsOneConditionalCall() {
    Recorder model = new Recorder();
    ClassConditioning classes =
        ClassConditioning.of(new int[] {2, 0}, 1.5, 2, 3, 3).guidedWithin(new GuidanceInterval(5, 8), 10);
    float[] xt = {0.5f, -1, 2, 0.25f};
    float[] eps = classes.guide(model).predict(xt, new int[] {8, 9}, classes.inputs());
    assertEquals(List.of(labels(2, 0, 3, 3)), model.calls);
    float[] expected = new float[4];
    for (int j = 0; j < 2; j++) {
      expected[j] = (float) (2.5 * (xt[j] + 10 * 2 + 8) - 1.5 * (xt[j] + 10 * 3 + 8));
      expected[2 + j] = xt[2 + j] + 10 * 0 + 9;
    }
    assertArrayEquals(expected, eps, 1e-5f);

    float[] outside = classes.guide(model).predict(xt, new int[] {4, 9}, classes.inputs());
    assertEquals(List.of(labels(2, 0, 3, 3), labels(2, 0)), model.calls);
    assertArrayEquals(new float[] {0.5f + 24, -1 + 24, 2 + 9, 0.25f + 9}, outside, 1e-5f);
  }

  @Test
  void withoutGuidanceTheModelIsCalledAsItIsWithOneLabelPerImage() {
    Recorder model = new Recorder();
    ClassConditioning classes = ClassConditioning.of(new int[] {1}, 0, 3, 2, 2);
    assertSame(model, classes.guide(model));
    assertArrayEquals(new int[] {1, 1, 1}, classes.labels());
    assertEquals(labels(1, 1, 1), classes.inputs());
  }

  @Test
  void noLabelsAskAConditionalModelForNoClassAndAnUnconditionalOneForNothing() {
    ClassConditioning none = ClassConditioning.of(new int[0], 0, 2, 10, 10);
    assertArrayEquals(new int[0], none.labels());
    assertEquals(labels(10, 10), none.inputs());
    ClassConditioning unconditional = ClassConditioning.of(new int[0], 0, 2, 0, 0);
    assertEquals(ExtraInputs.NONE, unconditional.inputs());
  }

  @Test
  void badLabelsAndScalesAreRefusedNamingTheField() {
    assertRefused("class_labels", () -> ClassConditioning.of(new int[] {0}, 0, 2, 0, 0));
    assertRefused("class_labels", () -> ClassConditioning.of(new int[] {3}, 0, 2, 3, 3));
    assertRefused("class_labels", () -> ClassConditioning.of(new int[] {-1}, 0, 2, 3, 3));
    assertRefused("class_labels", () -> ClassConditioning.of(new int[] {0, 1}, 0, 3, 3, 3));
    assertRefused("guidance_scale", () -> ClassConditioning.of(new int[] {0}, -0.5, 2, 3, 3));
    assertRefused("guidance_scale", () -> ClassConditioning.of(new int[] {0}, Double.NaN, 2, 3, 3));
    assertRefused("guidance_scale", () -> ClassConditioning.of(new int[] {0}, Double.POSITIVE_INFINITY, 2, 3, 3));
    assertRefused("guidance_scale", () -> ClassConditioning.of(new int[0], 1, 2, 3, 3));
  }

  @Test
  void badIntervalsAreRefusedNamingTheField() {
    assertRefused("guidance_interval", () -> new GuidanceInterval(-1, 3));
    assertRefused("guidance_interval", () -> new GuidanceInterval(5, 4));
    assertRefused("guidance_interval", () -> ClassConditioning.of(new int[] {0}, 0, 2, 3, 3)
        .guidedWithin(new GuidanceInterval(0, 5), 10));
    assertRefused("guidance_interval", () -> ClassConditioning.of(new int[] {0}, 1, 2, 3, 3)
        .guidedWithin(new GuidanceInterval(0, 10), 10));
  }

  private static void assertRefused(String field, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  private static ExtraInputs labels(int... y) {
    return ExtraInputs.of(Map.of(ClassConditioning.LABEL_INPUT, ExtraInput.int32(y)));
  }
}
