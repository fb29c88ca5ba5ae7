package ddpm.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * grpc.health.v1 of one server: gRPC's HealthStatusManager, whose Watch streams also end once the server
 * drains. A Watch never ends on its own, and neither HealthStatusManager.enterTerminalState() nor a graceful
 * server shutdown ends it, so one open Watch (a load balancer's, a probe's) would hold a stopping server for
 * its whole drain timeout. At {@link #endWatches()} every Watch sees its last status (NOT_SERVING, set just
 * before) and then ends with UNAVAILABLE, as the server is going away; a Watch begun later ends at once.
 */
final class ServerHealth {
  private static final String WATCH = HealthGrpc.getWatchMethod().getFullMethodName();

  private final HealthStatusManager manager = new HealthStatusManager();
  private final Set<WatchCall<?, ?>> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  /** The health service to add to the server. */
  ServerServiceDefinition getHealthService() {
    return ServerInterceptors.intercept(manager.getHealthService(), new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().equals(WATCH)) {
          return next.startCall(call, headers);
        }
        WatchCall<Q, R> watch = new WatchCall<>(call);
        watches.add(watch);
        ServerCall.Listener<Q> listener = new SimpleForwardingServerCallListener<>(next.startCall(watch, headers)) {
          @Override
          public void onComplete() {
            watches.remove(watch);
            super.onComplete();
          }

          @Override
          public void onCancel() {
            watches.remove(watch);
            super.onCancel();
          }
        };
        // Read after the watch is listed: a drain that began meanwhile has either seen it or is seen here.
        if (ending) {
          watch.end();
        }
        return listener;
      }
    });
  }

  HealthStatusManager manager() {
    return manager;
  }

  void setStatus(String service, ServingStatus status) {
    manager.setStatus(service, status);
  }

  /** Ends every Watch stream, and any begun later. */
  void endWatches() {
    ending = true;
    watches.forEach(WatchCall::end);
  }

  /**
   * A Watch call that the server may end while the health service still holds it: the service may later send
   * to it (a status change), which is then dropped. The call's methods are serialised, as gRPC requires.
   */
  private static final class WatchCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    WatchCall(ServerCall<Q, R> call) {
      super(call);
    }

    synchronized void end() {
      close(Status.UNAVAILABLE.withDescription("the server is stopping"), new Metadata());
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
