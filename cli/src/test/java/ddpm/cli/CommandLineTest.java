package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path dir;

  @Test
  void scheduleJsonPrintsEveryScheduleArray() {
    CommandRun run = CommandRun.of("schedule", "--kind", "linear", "--timesteps", "1000", "--json",
        "--models", dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
    JsonArray abar = json.getAsJsonArray("alphas_cumprod");
    assertEquals(1000, abar.size());
    assertEquals(0.9999, abar.get(0).getAsDouble(), 1e-12);
    assertEquals(4.04e-5, abar.get(999).getAsDouble(), 0.01e-5);
    for (String key : new String[] {"betas", "alphas", "alphas_cumprod_prev", "sqrt_alphas_cumprod",
        "sqrt_one_minus_alphas_cumprod", "posterior_variance", "posterior_log_variance_clipped",
        "posterior_mean_coef_x0", "posterior_mean_coef_xt", "timestep_indices"}) {
      assertEquals(1000, json.getAsJsonArray(key).size(), key);
    }
  }

  @Test
  void scheduleRespacedListsTheOriginalIndices() {
    CommandRun run = CommandRun.of("schedule", "--kind", "cosine", "--timesteps", "1000", "--respace", "10",
        "--json", "--models", dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonArray indices = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("timestep_indices");
    assertEquals(10, indices.size());
    assertEquals(0, indices.get(0).getAsInt());
    assertEquals(999, indices.get(9).getAsInt());
  }

  @Test
  void scheduleRespacesAsSpacingSays() {
    CommandRun run = CommandRun.of("schedule", "--kind", "linear", "--timesteps", "1000", "--respace", "10",
        "--spacing", "trailing", "--json", "--models", dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonArray indices = JsonParser.parseString(run.out()).getAsJsonObject().getAsJsonArray("timestep_indices");
    // round(T − i·T/K) − 1 for i = K−1 … 0.
    List<Integer> trailing = new ArrayList<>();
    indices.forEach(t -> trailing.add(t.getAsInt()));
    assertEquals(List.of(99, 199, 299, 399, 499, 599, 699, 799, 899, 999), trailing);

    CommandRun karras = CommandRun.of("schedule", "--respace", "10", "--spacing", "karras", "--rho", "3",
        "--models", dir.toString());
    assertEquals(0, karras.exitCode(), karras.err());
    assertTrue(karras.out().startsWith("linear schedule, T = 1000, K = 10, karras spacing (rho 3.0)"), karras.out());
  }

  @Test
  void scheduleRefusesARhoThatIsNotPositive() {
    CommandRun run = CommandRun.of("schedule", "--respace", "10", "--spacing", "karras", "--rho", "-1",
        "--models", dir.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("--rho must be finite and > 0, got -1.0"), run.err());
  }

  @Test
  void sampleWritesAPngGridAndAnNpzOfThePointMass() throws Exception {
    Path models = dir.resolve("models");
    byte[] pixels = new byte[8 * 8];
    float[] x0 = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 4);
      x0[i] = (i * 4) / 127.5f - 1;
    }
    ModelCard card = ExactDenoisers.card("point", 8, 8, 1, 100, "linear");
    new ModelRepository(models).publish("point", version -> ExactDenoisers.exportPointMass(version, card, x0));

    CommandRun run = CommandRun.of("sample", "--model", "point", "--n", "5", "--seed", "7",
        "--out", dir.resolve("s.png").toString(), "--models", models.toString());

    assertEquals(0, run.exitCode(), run.err());
    BufferedImage grid = ImageIO.read(dir.resolve("s.png").toFile());
    assertNotNull(grid, "s.png is not a readable PNG");
    NpyFile samples = NpyFile.read(dir.resolve("s.npz"), "arr_0");
    assertEquals("|u1", samples.descr());
    assertArrayEquals(new long[] {5, 8, 8, 1}, samples.shape());
    for (int image = 0; image < 5; image++) {
      for (int p = 0; p < pixels.length; p++) {
        assertEquals(pixels[p] & 0xFF, samples.data()[image * pixels.length + p] & 0xFF, 1,
            "image " + image + " pixel " + p);
      }
    }
  }

  @Test
  void sampleOfAnUnknownModelSaysNotFoundInOneLine() {
    CommandRun run = CommandRun.of("sample", "--model", "nosuch", "--out", dir.resolve("x").toString(),
        "--models", dir.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("NOT_FOUND"), run.err());
    assertTrue(run.err().lines().count() <= 2, "expected a one-line error, got " + run.err());
  }

  @Test
  void badScheduleKindIsRefusedNamingTheField() {
    CommandRun run = CommandRun.of("schedule", "--kind", "quadratic", "--models", dir.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("INVALID_ARGUMENT") && run.err().contains("kind"), run.err());
  }

  /** Two files of real MNIST-test digits (the datasets module's build fetched MNIST) scored as one set. */
  @Test
  void evalScoresSeveralSampleFilesAsOneSet() throws Exception {
    Path data = Path.of("..", Datasets.DEFAULT_ROOT);
    byte[] pixels = LabelledSplit.load(ReferenceDataset.MNIST, data, Split.TEST).images().pixels();
    int side = LabelledSplit.SIDE;
    Path first = dir.resolve("first.npz");
    Path second = dir.resolve("second.npz");
    Npz.writeUint8(first, "arr_0", Arrays.copyOfRange(pixels, 0, 60 * side * side), 60, side, side, 1);
    Npz.writeUint8(second, "arr_0", Arrays.copyOfRange(pixels, 60 * side * side, 100 * side * side), 40, side, side, 1);

    CommandRun run = CommandRun.of("eval", "--samples", first + "," + second, "--data", data.toString());

    assertEquals(0, run.exitCode(), run.err());
    JsonObject report = JsonParser.parseString(run.out()).getAsJsonObject();
    assertEquals(100, report.get("samples").getAsInt());
    assertEquals("mnist", report.get("dataset").getAsString());
    assertTrue(report.get("mean_confidence").getAsDouble() > 0.95, run.out());
  }

  @Test
  void evalOfADatasetWithoutAClassifierNamesTheOption() {
    CommandRun run = CommandRun.of("eval", "--samples", "x.npz", "--dataset", "cifar10");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--dataset: no classifier for 'cifar10'; one of mnist, fashion-mnist"), run.err());
  }
}
