package ddpm.denoiser.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ddpm.denoiser.core.VersionState;
import ddpm.testing.MetricsScrape;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VersionMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final VersionMetrics metrics = new VersionMetrics(registry);

  private MetricsScrape scrape() throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(text, registry.scrape());
    return new MetricsScrape(text.toString(StandardCharsets.UTF_8));
  }

  private static String state(long version, String state) {
    return "ddpm_denoiser_model_state{model=\"m\",state=\"" + state + "\",version=\"" + version + "\"}";
  }

  @Test
  void oneStateAtATimeTheLastLoadWithItsDeviceAndPrecisionAndNothingLeftOfAVersionThatLeftTheRepository()
      throws IOException {
    metrics.onState("m", 3, VersionState.LOADING);
    metrics.onState("m", 3, VersionState.READY);
    metrics.onLoaded("m", 3, "gpu:0", "fp32", "stock", TimeUnit.MILLISECONDS.toNanos(1500));
    metrics.onState("m", 4, VersionState.REFUSED);

    MetricsScrape scrape = scrape();
    assertEquals(1, scrape.value(state(3, "ready")));
    assertEquals(0, scrape.value(state(3, "loading")));
    assertEquals(0, scrape.value(state(3, "available")));
    assertEquals(1, scrape.value(state(4, "refused")));
    assertEquals(1.5, scrape.value(
        "ddpm_denoiser_model_load_seconds{device=\"gpu:0\",group_norm=\"stock\",model=\"m\",precision=\"fp32\","
            + "version=\"3\"}"));

    metrics.onRemoved("m", 3);
    String text = scrape().text();
    assertFalse(text.contains("version=\"3\""), text);
    assertEquals(1, scrape().value(state(4, "refused")));
  }
}
