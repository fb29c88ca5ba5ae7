package ddpm.denoiser.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.denoiser.batch.BatchListener;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.denoiser.engine.EpsNetwork;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the predictor answers when the network itself gives a non-finite ε: never OK. */
class NoisePredictorTest {
  private static final ModelCard CARD = ExactDenoisers.card("m", 1, 2, 1, 10, "linear");

  @TempDir Path root;
  private ModelRegistry registry;
  private NoisePredictor predictor;

  /** ε = x_t, but NaN where x_t is above 100, as a network whose activations overflow. Warm-up feeds zeros. */
  private static final class OverflowingNetwork implements EpsNetwork {
    @Override
    public float[] predict(float[] xt, int[] t) {
      float[] eps = xt.clone();
      for (int i = 0; i < eps.length; i++) {
        eps[i] = eps[i] > 100 ? Float.NaN : eps[i];
      }
      return eps;
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void serveTheNetwork() throws IOException {
    new ModelRepository(root).publish("m", CARD::write);
    registry = new ModelRegistry(new ModelCatalog(new ModelRepository(root)),
        new VersionLoader((dir, card) -> new OverflowingNetwork(), new BatchingConfig(true, 4, Duration.ZERO, 16, 1),
            ModelLoading.AT_START, c -> BatchListener.NONE), TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    predictor = new NoisePredictor(registry, 16);
  }

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void aNonFiniteEpsIsRefusedNamingXtAndTheImage() {
    float[] xt = {0.5f, -1, 3, 200};
    CompletionException e = assertThrows(CompletionException.class, () -> predict(xt).join());
    IllegalStateException refusal = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("x_t: model \"m\" version 1 returned a non-finite ε (NaN) for image 1 at t = 8; this network "
        + "cannot take that x_t, although its values are within ±10000", refusal.getMessage());
  }

  @Test
  void aFiniteEpsIsAnswered() {
    float[] xt = {0.5f, -1, 3, 100};
    assertArrayEquals(xt, predict(xt).join().eps());
  }

  private CompletableFuture<NoisePrediction> predict(float[] xt) {
    return predictor.predict(new NoiseRequest("m", 0, xt, new long[] {2, 1, 2, 1}, new int[] {9, 8}, new long[] {2},
        Map.of()));
  }
}
