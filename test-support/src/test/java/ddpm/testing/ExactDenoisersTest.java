package ddpm.testing;

import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.exact.GaussianClasses;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ExactDenoisersTest {
  private static final ModelCard CARD = ExactDenoisers.card("exact", 3, 2, 2, 50, "linear");
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 50);
  private static final int[] T = {0, 49, 17, 3, 25};

  @TempDir Path dir;

  @Test
  void pointMassMatchesTheClosedForm() throws IOException {
    float[] x0 = randomImages(1, 1);
    ExactDenoisers.exportPointMass(dir, CARD, x0);
    float[] xt = randomImages(T.length, 2);
    assertAllClose(ExactEps.pointMass(SCHEDULE, x0).predict(xt, T), run(dir, xt, T), 1e-4, 1e-4);
  }

  @Test
  void gaussianMatchesTheClosedForm() throws IOException {
    ExactDenoisers.exportGaussian(dir, CARD, 0.25f, 0.5f);
    float[] xt = randomImages(T.length, 3);
    assertAllClose(ExactEps.gaussian(SCHEDULE, filled(0.25f), filled(0.5f)).predict(xt, T), run(dir, xt, T), 1e-4, 1e-4);
  }

  @Test
  void labelledPointMassMatchesTheClosedFormForEachRowsOwnLabel() throws IOException {
    float[] x0 = randomImages(1, 4);
    ExactDenoisers.exportLabelledPointMass(dir, CARD, x0);
    float[] xt = randomImages(T.length, 5);
    int[] y = {0, 3, 9, 3, 1};
    float[] expected = ExactDenoisers.labelledPointMass(SCHEDULE, x0)
        .predict(xt, T, ExtraInputs.of(Map.of(ExactDenoisers.LABEL, ExtraInput.int32(y))));
    assertAllClose(expected, run(dir, xt, T, y), 1e-4, 1e-4);
    float[] row3 = Arrays.copyOfRange(xt, 36, 48);
    float[] shifted = x0.clone();
    for (int p = 0; p < shifted.length; p++) {
      shifted[p] += 3;
    }
    assertAllClose(ExactEps.pointMass(SCHEDULE, shifted).predict(row3, new int[] {T[3]}),
        Arrays.copyOfRange(expected, 36, 48), 1e-6, 1e-6);
  }

  @Test
  void gaussianClassesMatchTheClosedFormForEachLabelAndTheNullLabel() throws IOException {
    double[] means = {-0.5, 0.3};
    double[] stds = {0.2, 0.4};
    double[] priors = {0.6, 0.4};
    ExactDenoisers.exportGaussianClasses(dir, CARD, means, stds, priors);
    assertEquals(2, ModelCard.read(dir).numClasses());
    assertEquals(2, ModelCard.read(dir).nullLabel());
    float[] xt = randomImages(T.length, 6);
    int[] y = {0, 1, 2, 2, 1};
    float[] expected = new GaussianClasses(SCHEDULE, 12, means, stds, priors)
        .predict(xt, T, ExtraInputs.of(Map.of(ExactDenoisers.LABEL, ExtraInput.int32(y))));
    assertAllClose(expected, run(dir, xt, T, y), 1e-4, 1e-4);
  }

  @Test
  void writesTheCardBesideTheSavedModel() throws IOException {
    ExactDenoisers.exportGaussian(dir, CARD, 0f, 1f);
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    assertEquals(CARD, ModelCard.read(dir));
  }

  @Test
  void publishesNumberedVersions() throws IOException {
    ModelRepository repository = new ModelRepository(dir);
    assertEquals(1, ExactDenoisers.publishGaussian(repository, CARD, 0f, 1f));
    assertEquals(2, ExactDenoisers.publishPointMass(repository, CARD, new float[12]));
    assertEquals(List.of(1L, 2L), repository.versions("exact"));
    assertEquals(CARD, repository.card("exact", 2));
  }

  @Test
  void refusesAPointOfTheWrongSize() {
    assertThrows(IllegalArgumentException.class, () -> ExactDenoisers.exportPointMass(dir, CARD, new float[5]));
  }

  private static float[] run(Path dir, float[] xt, int[] t) {
    return run(dir, xt, t, null);
  }

  /** {@code labels}: the extra input y, or null for a model without it. */
  private static float[] run(Path dir, float[] xt, int[] t, int[] labels) {
    try (SavedModelBundle model = SavedModelBundle.load(dir.toString());
        TFloat32 xtTensor = TFloat32.tensorOf(Shape.of(t.length, 3, 2, 2), DataBuffers.of(xt));
        TInt32 tTensor = TInt32.vectorOf(t);
        TInt32 yTensor = TInt32.vectorOf(labels == null ? new int[0] : labels);
        Result result = model.call(labels == null
            ? Map.of("x_t", xtTensor, "t", tTensor)
            : Map.of("x_t", xtTensor, "t", tTensor, ExactDenoisers.LABEL, yTensor))) {
      TFloat32 eps = (TFloat32) result.get("eps").orElseThrow();
      assertEquals(Shape.of(t.length, 3, 2, 2), eps.shape());
      float[] out = new float[xt.length];
      eps.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  private static float[] filled(float value) {
    float[] out = new float[12];
    Arrays.fill(out, value);
    return out;
  }

  private static float[] randomImages(int n, long seed) {
    Random random = new Random(seed);
    float[] out = new float[n * 12];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) random.nextGaussian();
    }
    return out;
  }
}
