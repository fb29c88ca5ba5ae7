package ddpm.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One gRPC server: the given services plus grpc.health.v1 and server reflection. Every service is
 * reported SERVING once the server has started and NOT_SERVING while it drains.
 */
public final class ServerRunner implements AutoCloseable {
  private static final Logger log = Logger.getLogger(ServerRunner.class.getName());

  private final String name;
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<BindableService> services;
  private final List<AutoCloseable> closeAfter;
  private final Server server;
  private boolean closing;

  private ServerRunner(
      String name, String host, int port, List<BindableService> services, List<AutoCloseable> closeAfter) {
    this.name = name;
    this.services = services;
    this.closeAfter = closeAfter;
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    services.forEach(builder::addService);
    this.server = builder.build();
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving. {@code closeAfter} (models,
   * channels to peers, executors) is closed in order once the server has stopped.
   */
  public static ServerRunner start(String name, String host, int port, List<BindableService> services,
      AutoCloseable... closeAfter) throws IOException {
    return start(name, host, port, ServingStatus.SERVING, services, closeAfter);
  }

  /**
   * As above, reporting {@code initial} on grpc.health.v1 until {@link #setServing} says otherwise: a server
   * that must load something before it can answer well starts NOT_SERVING, so that load balancers and
   * readiness probes keep traffic away until then.
   */
  public static ServerRunner start(String name, String host, int port, ServingStatus initial,
      List<BindableService> services, AutoCloseable... closeAfter) throws IOException {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(name + ": host to bind must be given");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": port must be in [0, 65535] (0 picks a free port), got " + port);
    }
    ServerRunner runner = new ServerRunner(name, host, port, List.copyOf(services), List.of(closeAfter));
    runner.setServing(initial);
    runner.server.start();
    log.info(() -> name + " listening on " + runner.address());
    return runner;
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

  /** Stops taking calls, lets running calls finish for up to 30 s, then cancels the rest. */
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
  }
}
