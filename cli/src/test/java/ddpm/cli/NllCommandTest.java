package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ddpm nll} on the embedded suite: real MNIST test images (../data, as the build fetched them) against an
 * exact Gaussian denoiser of MNIST's shape, a real SavedModel on a short schedule.
 */
class NllCommandTest {
  private static final Path DATA = Path.of("../data");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path dir;

  @Test
  void printsOneJsonObjectWithBothBoundsAndWritesTheTermsChart() throws IOException {
    Path models = publishGaussian();
    Path png = dir.resolve("terms.png");

    CommandRun run = CommandRun.of("nll", "--model", "gauss", "--dataset", "mnist", "--n", "3", "--seed", "2",
        "--models", models.toString(), "--data", DATA.toString(), "--out", png.toString());

    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
    assertEquals("gauss", json.get("model").getAsString());
    assertEquals(1, json.get("version").getAsLong());
    assertEquals(3, json.get("images").getAsInt());
    assertEquals(20, json.get("timesteps").getAsInt());
    JsonArray bounds = json.getAsJsonArray("bounds");
    assertEquals(2, bounds.size());
    assertEquals("FIXED_LARGE", bounds.get(0).getAsJsonObject().get("variance").getAsString());
    assertEquals("FIXED_SMALL", bounds.get(1).getAsJsonObject().get("variance").getAsString());
    for (int v = 0; v < 2; v++) {
      JsonObject bound = bounds.get(v).getAsJsonObject();
      double parts = bound.get("prior").getAsDouble() + bound.get("decoder").getAsDouble()
          + bound.get("kl_sum").getAsDouble();
      assertEquals(parts, bound.get("bits_per_dim").getAsDouble(), 1e-9);
      assertTrue(bound.get("standard_error").getAsDouble() > 0, bound.toString());
    }
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), 4));
  }

  /** One variance asked for is the same bound as in a run of both: the ε do not depend on σ². */
  @Test
  void oneVarianceGivesTheSameBoundAsInARunOfBoth() throws IOException {
    Path models = publishGaussian();
    String[] common = {"nll", "--model", "gauss", "--n", "2", "--models", models.toString(), "--data",
        DATA.toString()};

    CommandRun both = CommandRun.of(common);
    CommandRun small = CommandRun.of(concat(common, "--variance", "FIXED_SMALL"));

    assertEquals(0, small.exitCode(), small.err());
    JsonArray one = JsonParser.parseString(small.out()).getAsJsonObject().getAsJsonArray("bounds");
    assertEquals(1, one.size());
    assertEquals(JsonParser.parseString(both.out()).getAsJsonObject().getAsJsonArray("bounds").get(1), one.get(0));
  }

  @Test
  void badOptionsFailNamingTheOption() throws IOException {
    Path models = publishGaussian();
    CommandRun none = CommandRun.of("nll", "--model", "gauss", "--n", "0", "--models", models.toString());
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("--n must be ≥ 1"), none.err());

    CommandRun tooMany = CommandRun.of("nll", "--model", "gauss", "--n", "10001", "--models", models.toString(),
        "--data", DATA.toString());
    assertEquals(2, tooMany.exitCode());
    assertTrue(tooMany.err().contains("--n: mnist's test split has 10000 images"), tooMany.err());

    CommandRun variance = CommandRun.of("nll", "--model", "gauss", "--variance", "LARGE");
    assertEquals(2, variance.exitCode());
    assertTrue(variance.err().contains("--variance"), variance.err());

    CommandRun precision = CommandRun.of("nll", "--model", "gauss", "--n", "1", "--models", models.toString(),
        "--data", DATA.toString(), "--precision", "fp16");
    assertEquals(1, precision.exitCode());
    assertEquals(List.of("ddpm nll: --precision must be one of fp32, bf16, auto, got \"fp16\""),
        precision.err().lines().toList());
  }

  private Path publishGaussian() throws IOException {
    Path models = dir.resolve("models");
    ExactDenoisers.publishGaussian(new ModelRepository(models),
        ExactDenoisers.card("gauss", 28, 28, 1, 20, "linear"), -0.7f, 0.5f);
    return models;
  }

  private static String[] concat(String[] first, String... more) {
    String[] out = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, out, first.length, more.length);
    return out;
  }
}
