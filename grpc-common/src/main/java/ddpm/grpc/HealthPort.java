package ddpm.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A second gRPC server beside a service's own that serves only grpc.health.v1, in plaintext and to every
 * caller: Kubernetes' gRPC probes can neither speak TLS nor send a token, so a server with TLS and roles gives
 * them this port. It answers from the main server's health, so it reports NOT_SERVING through the drain, and
 * it stops only after the main server has.
 */
final class HealthPort implements AutoCloseable {
  private final String name;
  private final String host;
  private final int port;
  private final EventLoops.Lease loops;
  private final Server server;

  HealthPort(String name, String host, int port, ServerHealth health) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.loops = EventLoops.acquire();
    try {
      this.server = loops.serve(NettyServerBuilder
              .forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create()))
          .addService(ServiceGuard.guard(health.getHealthService()))
          .build();
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      throw ServerRunner.bindFailure(name + ": health port", host, port, e);
    }
  }

  /** HOST:PORT of the health server. */
  String address() {
    InetSocketAddress a = (InetSocketAddress) server.getListenSockets().get(0);
    return a.getHostString() + ":" + a.getPort();
  }

  @Override
  public void close() {
    ServerRunner.stopNow(server);
    loops.close();
  }
}
