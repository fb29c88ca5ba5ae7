package ddpm.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;

/** One registry in the Prometheus text format at {@code http://HOST:PORT/metrics}, until closed. */
public final class MetricsEndpoint implements AutoCloseable {
  public static final String PATH = "/metrics";

  private final HTTPServer server;
  private final String host;

  private MetricsEndpoint(HTTPServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Binds {@code host:port}; port 0 picks a free one. A port in use is a BindException that names it. */
  public static MetricsEndpoint start(PrometheusRegistry registry, String host, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be in [0, 65535] (0 picks a free port), got " + port);
    }
    try {
      HTTPServer server = HTTPServer.builder()
          .registry(registry)
          .hostname(host)
          .port(port)
          .metricsHandlerPath(PATH)
          .buildAndStart();
      return new MetricsEndpoint(server, host);
    } catch (BindException e) {
      // The JDK says only "Address already in use", which leaves a reader of the log to guess which address.
      throw (BindException) new BindException("metrics port " + port + " on " + host + ": " + e.getMessage())
          .initCause(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** What a scraper fetches; an IPv6 host is bracketed as URLs require. */
  public String url() {
    String urlHost = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + urlHost + ":" + port() + PATH;
  }

  @Override
  public void close() {
    server.close();
  }
}
