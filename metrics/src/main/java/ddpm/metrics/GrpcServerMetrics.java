package ddpm.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call a server handles by service, method and status code, and times it by the same:
 * {@code ddpm_grpc_server_requests_total{service,method,code}} and
 * {@code ddpm_grpc_server_request_seconds{service,method,code}}, so that the latency of the calls that
 * succeeded is not mixed with that of those refused at once. A call is recorded once, when it ends.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
  /** From a health check (~1 ms) to a long Sample or WatchJob stream (10 min). */
  static final double[] SECONDS_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

  private final Counter requests;
  private final Histogram seconds;

  public GrpcServerMetrics(PrometheusRegistry registry) {
    requests = Counter.builder()
        .name("ddpm_grpc_server_requests_total")
        .help("gRPC calls ended, by service, method and status code")
        .labelNames("service", "method", "code")
        .register(registry);
    seconds = Histogram.builder()
        .name("ddpm_grpc_server_request_seconds")
        .help("Time from a gRPC call's start to its end, by service, method and status code")
        .labelNames("service", "method", "code")
        .classicOnly()
        .classicUpperBounds(SECONDS_BUCKETS)
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    CallEnd end = new CallEnd(call.getMethodDescriptor());
    ServerCall<Q, R> recorded = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        // Before the status goes out: a client that has seen it also sees the call counted.
        end.record(status.getCode());
        super.close(status, trailers);
      }
    };
    try {
      return new RecordingListener<>(next.startCall(recorded, headers), end);
    } catch (RuntimeException | Error e) {
      end.record(Status.Code.UNKNOWN);
      throw e;
    }
  }

  /** The end of one call, recorded at most once whichever way the call ends. */
  private final class CallEnd {
    private final String service;
    private final String method;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean recorded = new AtomicBoolean();

    CallEnd(MethodDescriptor<?, ?> descriptor) {
      service = descriptor.getServiceName();
      method = descriptor.getBareMethodName();
    }

    void record(Status.Code code) {
      if (recorded.compareAndSet(false, true)) {
        requests.labelValues(service, method, code.name()).inc();
        seconds.labelValues(service, method, code.name()).observe((System.nanoTime() - startNanos) / 1e9);
      }
    }
  }

  /**
   * A call the client cancels, or whose deadline passes, ends without a status from the handler: it is counted
   * as CANCELLED. A handler that throws also ends the call without one, but its client sees UNKNOWN, so that is
   * what is counted.
   */
  private static final class RecordingListener<Q> extends SimpleForwardingServerCallListener<Q> {
    private final CallEnd end;

    RecordingListener(ServerCall.Listener<Q> delegate, CallEnd end) {
      super(delegate);
      this.end = end;
    }

    @Override
    public void onMessage(Q message) {
      guarded(() -> super.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      guarded(super::onHalfClose);
    }

    @Override
    public void onReady() {
      guarded(super::onReady);
    }

    @Override
    public void onCancel() {
      end.record(Status.Code.CANCELLED);
      super.onCancel();
    }

    private void guarded(Runnable handler) {
      try {
        handler.run();
      } catch (RuntimeException | Error e) {
        end.record(Status.Code.UNKNOWN);
        throw e;
      }
    }
  }
}
