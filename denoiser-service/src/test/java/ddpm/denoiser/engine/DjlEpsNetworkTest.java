package ddpm.denoiser.engine;

import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.diffusion.sampling.InputSpec;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.tensorflow.TensorFlowRuntime;
import ddpm.testing.ExactDenoisers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

class DjlEpsNetworkTest {
  private static final ModelCard CARD = ExactDenoisers.card("point", 2, 3, 1, 20, "cosine");
  private static final float[] X0 = {0.5f, -0.25f, 1f, 0f, -1f, 0.75f};

  @TempDir Path dir;

  @Test
  void predictsWhatTheExportedDenoiserComputes() throws IOException {
    ExactDenoisers.exportPointMass(dir, CARD, X0);
    float[] xt = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, -0.6f, -0.5f, -0.4f, -0.3f, -0.2f, -0.1f};
    int[] t = {19, 0};
    float[] expected = ExactEps.pointMass(NoiseSchedule.of(ScheduleKind.COSINE, 20), X0).predict(xt, t);
    try (DjlEpsNetwork network = DjlEpsNetwork.load(dir, CARD)) {
      assertAllClose(expected, network.predict(xt, t), 1e-4, 1e-4);
    }
  }

  @Test
  void refusesASignatureThatDoesNotMatchTheCard() throws IOException {
    ExactDenoisers.exportPointMass(dir, CARD, X0);
    ModelCard wider = ExactDenoisers.card("point", 2, 4, 1, 20, "cosine");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DjlEpsNetwork.load(dir, wider));
    assertTrue(e.getMessage().contains("x_t") && e.getMessage().contains("(-1, 2, 4, 1)"), e.getMessage());
  }

  @Test
  void learnsTheExtraInputsOfTheSignatureAndFeedsThem() throws IOException {
    ExactDenoisers.exportLabelledPointMass(dir, CARD, X0);
    float[] xt = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, -0.6f, -0.5f, -0.4f, -0.3f, -0.2f, -0.1f};
    int[] t = {19, 0};
    ExtraInputs labels = ExtraInputs.of(Map.of(ExactDenoisers.LABEL, ExtraInput.int32(new int[] {4, -2})));
    float[] expected = ExactDenoisers.labelledPointMass(NoiseSchedule.of(ScheduleKind.COSINE, 20), X0)
        .predict(xt, t, labels);
    try (DjlEpsNetwork network = DjlEpsNetwork.load(dir, CARD)) {
      assertEquals(Map.of(ExactDenoisers.LABEL, InputSpec.int32()), network.extraInputs());
      assertAllClose(expected, network.predict(xt, t, labels), 1e-4, 1e-4);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> network.predict(xt, t));
      assertTrue(e.getMessage().contains("y=INT32 [N]"), e.getMessage());
    }
  }

  @Test
  void anUnconditionalSavedModelDeclaresNoExtraInputs() throws IOException {
    ExactDenoisers.exportPointMass(dir, CARD, X0);
    try (DjlEpsNetwork network = DjlEpsNetwork.load(dir, CARD)) {
      assertEquals(Map.of(), network.extraInputs());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "INT64 | -1    | has dtype DT_INT64; this denoiser feeds extra inputs of DT_INT32 or DT_FLOAT",
      "INT32 | 3     | has shape (3); an extra input must be (-1, ...)",
      "INT32 | -1,-1 | has shape (-1, -1); an extra input must be (-1, ...)",
      "INT32 |       | has shape (); an extra input must be (-1, ...)",
  })
  void refusesAnExtraInputItCannotFeed(String dtype, String shape, String message) throws IOException {
    long[] dims = shape == null ? new long[0] : Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
    exportWithExtraInput(dtype.equals("INT64") ? TInt64.class : TInt32.class, dims);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DjlEpsNetwork.load(dir, CARD));
    assertTrue(e.getMessage().contains("extra input extra " + message), e.getMessage());
  }

  /** ε = x_t, with an unused extra input "extra" of {@code type} and {@code shape} in the signature. */
  private void exportWithExtraInput(Class<? extends TNumber> type, long[] shape) throws IOException {
    TensorFlowRuntime.init();
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      var xt = tf.withName(EpsContract.X_T).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, CARD.height(), CARD.width(), CARD.channels())));
      var t = tf.withName(EpsContract.T).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      var extra = tf.withName("extra").placeholder(type, Placeholder.shape(Shape.of(shape)));
      var eps = tf.withName(EpsContract.EPS).identity(xt);
      SavedModelBundle.exporter(dir.toString()).withSession(session)
          .withSignature(Signature.builder().key(EpsContract.SIGNATURE_KEY)
              .input(EpsContract.X_T, xt).input(EpsContract.T, t).input("extra", extra)
              .output(EpsContract.EPS, eps).build())
          .export();
    }
    CARD.write(dir);
  }

  @Test
  void refusesAFolderWithoutASavedModel() throws IOException {
    CARD.write(dir);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DjlEpsNetwork.load(dir, CARD));
    assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
  }

  @Test
  void reportsACorruptSavedModelAsUnloadable() throws IOException {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DjlEpsNetwork.load(dir, CARD));
    assertTrue(e.getMessage().contains("cannot load"), e.getMessage());
  }
}
