package ddpm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesItsOwnRegistryOnlyUntilClosed() throws Exception {
    PrometheusRegistry mine = new PrometheusRegistry();
    Counter.builder().name("mine_total").help("counted here").register(mine).inc(3);
    PrometheusRegistry other = new PrometheusRegistry();
    Counter.builder().name("other_total").help("counted elsewhere").register(other).inc();

    MetricsEndpoint endpoint = MetricsEndpoint.start(mine, "127.0.0.1", 0);
    String url = endpoint.url();
    try (MetricsEndpoint second = MetricsEndpoint.start(other, "127.0.0.1", 0)) {
      assertEquals("http://127.0.0.1:" + endpoint.port() + "/metrics", url);
      HttpResponse<String> page = get(url);
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("\nmine_total 3.0\n"), page.body());
      assertFalse(page.body().contains("other_total"), page.body());
      assertTrue(get(second.url()).body().contains("\nother_total 1.0\n"));
    } finally {
      endpoint.close();
    }
    assertThrows(IOException.class, () -> get(url));
  }

  @Test
  void refusesAPortOutsideTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricsEndpoint.start(new PrometheusRegistry(), "127.0.0.1", -1));
    assertTrue(e.getMessage().contains("metrics port"), e.getMessage());
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      BindException e = assertThrows(BindException.class,
          () -> MetricsEndpoint.start(new PrometheusRegistry(), "127.0.0.1", taken.getLocalPort()));
      assertEquals("metrics port " + taken.getLocalPort() + " on 127.0.0.1: Address already in use", e.getMessage());
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
