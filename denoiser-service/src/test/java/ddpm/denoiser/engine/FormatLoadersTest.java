package ddpm.denoiser.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatLoadersTest {
  private static final Path DIR = Path.of("models", "m", "1");

  private static ModelCard card(String format) {
    return new ModelCard("m", List.of(2, 2, 1), 10, "linear", EpsContract.PREDICTION, format, null);
  }

  /** A loader that records the folders it was asked for and hands out one network. */
  private static final class Recording implements EpsNetworkLoader {
    final List<Path> loaded = new ArrayList<>();
    final EpsNetwork network = new EpsNetwork() {
      @Override
      public float[] predict(float[] xt, int[] t) {
        return xt.clone();
      }

      @Override
      public void close() {}
    };

    @Override
    public EpsNetwork load(Path versionDir, ModelCard card) {
      loaded.add(versionDir);
      return network;
    }
  }

  @Test
  void loadsEachVersionWithTheLoaderOfItsFormat() {
    Recording savedModels = new Recording();
    Recording other = new Recording();
    FormatLoaders loaders =
        new FormatLoaders(Map.of(EpsContract.TENSORFLOW_SAVED_MODEL, savedModels, "other", other));

    assertSame(savedModels.network, loaders.load(DIR, card(null)), "a card without a format is a SavedModel");
    assertSame(other.network, loaders.load(DIR, card("other")));
    assertEquals(List.of(DIR), savedModels.loaded);
    assertEquals(List.of(DIR), other.loaded);
  }

  @Test
  void refusesAFormatItHasNoLoaderForNamingTheOnesItServes() {
    Recording savedModels = new Recording();
    FormatLoaders loaders =
        new FormatLoaders(Map.of(EpsContract.TENSORFLOW_SAVED_MODEL, savedModels, "b", savedModels));

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loaders.load(DIR, card("onnx")));
    assertTrue(e.getMessage().startsWith(DIR + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("\"onnx\"") && e.getMessage().contains("[b, tensorflow-savedmodel]"),
        e.getMessage());
    assertEquals(List.of(), savedModels.loaded);
  }
}
