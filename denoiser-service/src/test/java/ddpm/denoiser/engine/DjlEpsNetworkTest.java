package ddpm.denoiser.engine;

import static ddpm.testing.TensorAsserts.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.ModelCard;
import ddpm.testing.ExactDenoisers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
