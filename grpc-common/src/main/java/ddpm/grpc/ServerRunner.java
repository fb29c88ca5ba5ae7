package ddpm.grpc;

import ddpm.metrics.GrpcServerMetrics;
import ddpm.metrics.MetricsEndpoint;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gRPC server: the given services plus grpc.health.v1 and server reflection (v1 and v1alpha), and optionally
 * Prometheus metrics of every call at {@code http://HOST:METRICS_PORT/metrics}. Every service is reported SERVING
 * once the server has started and NOT_SERVING while it drains.
 */
public final class ServerRunner implements AutoCloseable {
  /** The metrics port that serves no metrics endpoint. */
  public static final int NO_METRICS = -1;

  /**
   * How long a client connection lives before the server asks the client to reconnect (an HTTP/2 GOAWAY; calls
   * in flight finish on the old connection, however long they take). Reconnecting makes the client resolve its
   * target again, so a sampler that reaches the denoisers through one DNS name with a record per replica (a
   * Kubernetes headless Service) starts using replicas added since within this time; otherwise a new replica
   * would get calls only once some connection failed.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(5);

  private static final Logger log = Logger.getLogger(ServerRunner.class.getName());

  private final String name;
  private final HealthStatusManager health;
  private final List<BindableService> services;
  private final List<AutoCloseable> closeAfter;
  private final Server server;
  private boolean closing;
  private final Optional<MetricsEndpoint> metrics;

  private ServerRunner(String name, HealthStatusManager health, List<BindableService> services,
      List<AutoCloseable> closeAfter, Server server, Optional<MetricsEndpoint> metrics) {
    this.name = name;
    this.health = health;
    this.services = services;
    this.closeAfter = closeAfter;
    this.server = server;
    this.metrics = metrics;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving. {@code closeAfter} (models,
   * channels to peers, executors) is closed in order once the server has stopped.
   */
  public static ServerRunner start(String name, String host, int port, List<BindableService> services,
      AutoCloseable... closeAfter) throws IOException {
    return builder(name, host, port, services).closeAfter(closeAfter).start();
  }

  /** A server to configure beyond {@link #start}'s arguments, e.g. with metrics. */
  public static Builder builder(String name, String host, int port, List<BindableService> services) {
    return new Builder(name, host, port, services);
  }

  /** What {@link ServerRunner#start} binds and serves; every setting but the four given is optional. */
  public static final class Builder {
    private final String name;
    private final String host;
    private final int port;
    private final List<BindableService> services;
    private List<AutoCloseable> closeAfter = List.of();
    private PrometheusRegistry metricsRegistry;
    private int metricsPort = NO_METRICS;
    private ServingStatus initialStatus = ServingStatus.SERVING;
    private Duration maxConnectionAge = DEFAULT_MAX_CONNECTION_AGE;

    private Builder(String name, String host, int port, List<BindableService> services) {
      this.name = name;
      this.host = host;
      this.port = port;
      this.services = List.copyOf(services);
    }

    /** Closed in order once the server has stopped. */
    public Builder closeAfter(AutoCloseable... resources) {
      this.closeAfter = List.of(resources);
      return this;
    }

    /**
     * Records every call into {@code registry} and serves it at {@code http://HOST:metricsPort/metrics}, on the
     * gRPC server's host. Port 0 picks a free one; {@link #NO_METRICS} records and serves nothing.
     */
    public Builder metrics(PrometheusRegistry registry, int metricsPort) {
      this.metricsRegistry = Objects.requireNonNull(registry, "registry");
      this.metricsPort = metricsPort;
      return this;
    }

    /**
     * What grpc.health.v1 reports until {@link ServerRunner#setServing} says otherwise (default SERVING): a
     * server that must load something before it can answer well starts NOT_SERVING, so that load balancers
     * and readiness probes keep traffic away until then.
     */
    public Builder initialStatus(ServingStatus status) {
      this.initialStatus = Objects.requireNonNull(status, "status");
      return this;
    }

    /** Replaces {@link #DEFAULT_MAX_CONNECTION_AGE}; gRPC adds ±10 % of jitter so that clients do not reconnect at once. */
    public Builder maxConnectionAge(Duration age) {
      ConfigChecks.requirePositive(age, "max_connection_age");
      this.maxConnectionAge = age;
      return this;
    }

    public ServerRunner start() throws IOException {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException(name + ": host to bind must be given");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + ": port must be in [0, 65535] (0 picks a free port), got " + port);
      }
      HealthStatusManager health = new HealthStatusManager();
      NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
          .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
          .maxConnectionAge(maxConnectionAge.toNanos(), TimeUnit.NANOSECONDS)
          .addService(health.getHealthService())
          .addService(ProtoReflectionServiceV1.newInstance())
          .addService(reflectionV1Alpha());
      services.forEach(builder::addService);
      Optional<MetricsEndpoint> metrics = Optional.empty();
      if (metricsPort != NO_METRICS) {
        builder.intercept(new GrpcServerMetrics(metricsRegistry));
        metrics = Optional.of(MetricsEndpoint.start(metricsRegistry, host, metricsPort));
      }
      Server built = builder.build();
      ServerRunner runner = new ServerRunner(name, health, services, closeAfter, built, metrics);
      runner.setServing(initialStatus);
      try {
        built.start();
      } catch (IOException e) {
        metrics.ifPresent(MetricsEndpoint::close);
        // gRPC says "Failed to bind to address", and why only in its cause.
        String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        throw new IOException(name + ": gRPC port " + port + " on " + host + ": " + why, e);
      } catch (RuntimeException e) {
        metrics.ifPresent(MetricsEndpoint::close);
        throw e;
      }
      log.info(() -> name + " listening on " + runner.address()
          + runner.metricsUrl().map(url -> ", metrics on " + url).orElse(""));
      return runner;
    }
  }

  /**
   * grpc.reflection.v1alpha, the same answers under the older name: clients written before v1 existed (older
   * grpcurl among them) ask for it first. grpc-java deprecates it but still ships it.
   */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }

  public String name() {
    return name;
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** HOST:PORT, as a client would dial it. */
  public String address() {
    InetSocketAddress a = (InetSocketAddress) server.getListenSockets().get(0);
    return a.getHostString() + ":" + a.getPort();
  }

  /** Where Prometheus scrapes this server, {@code http://HOST:PORT/metrics}; empty when it serves no metrics. */
  public Optional<String> metricsUrl() {
    return metrics.map(MetricsEndpoint::url);
  }

  /** Ignored once {@link #close()} has begun, so a late "ready" cannot revive a draining server. */
  public synchronized void setServing(ServingStatus status) {
    if (closing) {
      return;
    }
    health.setStatus("", status);
    for (BindableService service : services) {
      ServerServiceDefinition def = service.bindService();
      health.setStatus(def.getServiceDescriptor().getName(), status);
    }
  }

  public HealthStatusManager health() {
    return health;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops taking calls, lets running calls finish for up to 30 s, then cancels the rest. The metrics endpoint
   * closes last, so that the draining can be watched.
   */
  @Override
  public void close() {
    setServing(ServingStatus.NOT_SERVING);
    synchronized (this) {
      closing = true;
    }
    server.shutdown();
    try {
      if (!server.awaitTermination(30, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (AutoCloseable resource : closeAfter) {
      try {
        resource.close();
      } catch (Exception e) {
        log.log(Level.WARNING, name + ": closing " + resource + " failed", e);
      }
    }
    metrics.ifPresent(MetricsEndpoint::close);
  }
}
