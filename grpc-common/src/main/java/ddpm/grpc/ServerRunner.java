package ddpm.grpc;

import ddpm.grpc.security.Security;
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
 * One gRPC server on an {@link Endpoint}: the given services plus grpc.health.v1, server reflection (v1 and
 * v1alpha) when the endpoint's security asks for it, and, when the endpoint has a metrics port, Prometheus
 * metrics of every call at {@code http://HOST:METRICS_PORT/metrics}. Every service is reported SERVING once
 * the server has started and NOT_SERVING while it drains. The endpoint's {@link Security} sets TLS and the
 * roles every call is checked against; a server it leaves unguarded starts only on loopback.
 */
public final class ServerRunner implements AutoCloseable {
  private static final Logger log = Logger.getLogger(ServerRunner.class.getName());

  private final String name;
  private final Duration drainTimeout;
  private final ServerHealth health;
  private final List<BindableService> services;
  private final List<AutoCloseable> closeAfter;
  private final Server server;
  private final EventLoops.Lease loops;
  private boolean closing;
  private final Optional<MetricsEndpoint> metrics;
  private final Optional<HealthPort> healthPort;

  private ServerRunner(String name, Duration drainTimeout, ServerHealth health, List<BindableService> services,
      List<AutoCloseable> closeAfter, Server server, EventLoops.Lease loops, Optional<MetricsEndpoint> metrics,
      Optional<HealthPort> healthPort) {
    this.name = name;
    this.drainTimeout = drainTimeout;
    this.health = health;
    this.services = services;
    this.closeAfter = closeAfter;
    this.server = server;
    this.loops = loops;
    this.metrics = metrics;
    this.healthPort = healthPort;
  }

  /**
   * Binds {@code endpoint}, which has no metrics port (see {@link Builder#metrics}), and starts serving.
   * {@code closeAfter} (models, channels to peers, executors) is closed in order once the server has stopped.
   */
  public static ServerRunner start(String name, Endpoint endpoint, List<BindableService> services,
      AutoCloseable... closeAfter) throws IOException {
    return builder(name, endpoint, services).closeAfter(closeAfter).start();
  }

  /** A server to configure beyond {@link #start}'s arguments, e.g. with metrics. */
  public static Builder builder(String name, Endpoint endpoint, List<BindableService> services) {
    return new Builder(name, endpoint, services);
  }

  /** What {@link ServerRunner#start} binds and serves; every setting but the three given is optional. */
  public static final class Builder {
    private final String name;
    private final Endpoint endpoint;
    private final List<BindableService> services;
    private List<AutoCloseable> closeAfter = List.of();
    private PrometheusRegistry metricsRegistry;
    private ServingStatus initialStatus = ServingStatus.SERVING;

    private Builder(String name, Endpoint endpoint, List<BindableService> services) {
      this.name = name;
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      this.services = List.copyOf(services);
    }

    /** Closed in order once the server has stopped. */
    public Builder closeAfter(AutoCloseable... resources) {
      this.closeAfter = List.of(resources);
      return this;
    }

    /**
     * The registry that every call is recorded into and that {@code http://HOST:METRICS_PORT/metrics} serves
     * when the endpoint has a metrics port; without one it records and serves nothing. The service's own
     * registry, so that its metrics and the calls' share one page.
     */
    public Builder metrics(PrometheusRegistry registry) {
      this.metricsRegistry = Objects.requireNonNull(registry, "registry");
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

    public ServerRunner start() throws IOException {
      if (endpoint.servesMetrics() && metricsRegistry == null) {
        throw new IllegalStateException(name + ": metrics port " + endpoint.metricsPort()
            + " given but no registry to serve: call metrics(registry)");
      }
      String host = endpoint.host();
      int port = endpoint.port();
      Security security = endpoint.security();
      security.checkExposure(host);
      ServerHealth health = new ServerHealth();
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(host, port), endpoint.serverCredentials())
          .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
          .maxConnectionAge(endpoint.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
          // Health and reflection too: a probe or a reflection client sending bad bytes is answered as any caller.
          .addService(ServiceGuard.guard(health.getHealthService()));
      if (security.reflection()) {
        builder.addService(ServiceGuard.guard(ProtoReflectionServiceV1.newInstance()))
            .addService(ServiceGuard.guard(reflectionV1Alpha()));
      }
      services.forEach(service -> builder.addService(ServiceGuard.guard(service)));
      // The last interceptor added runs first: metrics count the calls that authorization refuses.
      security.authorization(name).ifPresent(builder::intercept);
      Optional<MetricsEndpoint> metrics = Optional.empty();
      EventLoops.Lease loops = null;
      Server built = null;
      Optional<HealthPort> healthPort = Optional.empty();
      ServerRunner runner;
      // Everything taken before a failure is given back: a lease left held would keep the event loops up.
      try {
        if (endpoint.servesMetrics()) {
          builder.intercept(new GrpcServerMetrics(metricsRegistry));
          metrics = Optional.of(MetricsEndpoint.start(metricsRegistry, host, endpoint.metricsPort()));
        }
        loops = EventLoops.acquire();
        built = loops.serve(builder).build();
        if (endpoint.servesHealthPort()) {
          healthPort = Optional.of(new HealthPort(name, host, endpoint.healthPort(), health));
        }
        runner = new ServerRunner(
            name, endpoint.drainTimeout(), health, services, closeAfter, built, loops, metrics, healthPort);
        runner.setServing(initialStatus);
        try {
          built.start();
        } catch (IOException e) {
          throw bindFailure(name + ": gRPC port", host, port, e);
        }
        if (healthPort.isPresent()) {
          healthPort.get().start();
        }
      } catch (IOException | RuntimeException e) {
        if (built != null) {
          stopNow(built);
        }
        healthPort.ifPresent(HealthPort::close);
        if (loops != null) {
          loops.close();
        }
        metrics.ifPresent(MetricsEndpoint::close);
        throw e;
      }
      log.info(() -> name + " listening on " + runner.address()
          + runner.healthAddress().map(address -> ", health (plaintext) on " + address).orElse("")
          + runner.metricsUrl().map(url -> ", metrics on " + url).orElse("") + "; " + security.describe());
      return runner;
    }
  }

  /**
   * Cancels {@code server}'s calls and waits up to 5 s for it to end, so that its event loops run no more of its
   * tasks once their lease is given back.
   */
  static void stopNow(Server server) {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** gRPC says "Failed to bind to address", and why only in its cause: {@code what} PORT on HOST: why. */
  static IOException bindFailure(String what, String host, int port, IOException e) {
    String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
    return new IOException(what + " " + port + " on " + host + ": " + why, e);
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

  /** HOST:PORT of the plaintext health-only port, when the endpoint asks for one. */
  public Optional<String> healthAddress() {
    return healthPort.map(HealthPort::address);
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
    return health.manager();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops taking calls, lets running calls finish for up to the endpoint's drain timeout, then cancels the
   * rest. Health Watch streams see NOT_SERVING and end as the drain begins: they never finish on their own,
   * and would hold the server for the whole drain timeout. It returns as soon as the last call has finished.
   * The metrics endpoint closes last, so that the draining can be watched.
   */
  @Override
  public void close() {
    setServing(ServingStatus.NOT_SERVING);
    synchronized (this) {
      closing = true;
    }
    server.shutdown();
    health.endWatches();
    try {
      if (!server.awaitTermination(drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        stopNow(server);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    healthPort.ifPresent(HealthPort::close);
    loops.close();
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
