package ddpm.metrics;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The calls a service makes to its peers, seen from its side, by target (the peer as configured: an address, a
 * list of replicas, a {@code dns:///} name), service and method:
 * {@code ddpm_grpc_client_request_seconds{target,service,method,code}}, a call's start to its final status,
 * retries and their waits included; {@code ddpm_grpc_client_retries_total{target,service,method}}, attempts
 * beyond a call's first; {@code ddpm_grpc_client_failovers_total{target,service,method}}, attempts that went to
 * another replica than the one that had the attempt before.
 *
 * <p>{@link #forTarget} is the interceptor of one channel. A call through it is recorded once, as it closes; a
 * caller that makes several attempts of one call passes one {@link PeerCall} in every attempt's options, and
 * the call is recorded as that caller reports it. One instance per registry: it registers the metrics.
 */
public final class GrpcClientMetrics {
  private final Histogram seconds;
  private final Counter retries;
  private final Counter failovers;

  public GrpcClientMetrics(PrometheusRegistry registry) {
    seconds = Histogram.builder()
        .name("ddpm_grpc_client_request_seconds")
        .help("Time from a call to a peer's start to its final status, retries included, by target, service,"
            + " method and status code")
        .labelNames("target", "service", "method", "code")
        .classicOnly()
        .classicUpperBounds(GrpcServerMetrics.SECONDS_BUCKETS)
        .register(registry);
    retries = Counter.builder()
        .name("ddpm_grpc_client_retries_total")
        .help("Attempts of calls to a peer beyond each call's first")
        .labelNames("target", "service", "method")
        .register(registry);
    failovers = Counter.builder()
        .name("ddpm_grpc_client_failovers_total")
        .help("Attempts of calls to a peer that went to another replica than the attempt before")
        .labelNames("target", "service", "method")
        .register(registry);
  }

  /** The interceptor of a channel to {@code target}, which labels what it records. */
  public ClientInterceptor forTarget(String target) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        Series series = new Series(target, method);
        PeerCall attempts = options.getOption(PeerCall.KEY);
        if (attempts != null) {
          attempts.recordInto(series);
          return next.newCall(method, options);
        }
        return new SingleCall<>(next.newCall(method, options), series);
      }
    };
  }

  /** One target's method: where a call is recorded. */
  final class Series {
    private final String target;
    private final String service;
    private final String method;

    private Series(String target, MethodDescriptor<?, ?> descriptor) {
      this.target = target;
      this.service = descriptor.getServiceName();
      this.method = descriptor.getBareMethodName();
    }

    void retried(boolean toAnotherReplica) {
      retries.labelValues(target, service, method).inc();
      if (toAnotherReplica) {
        failovers.labelValues(target, service, method).inc();
      }
    }

    void ended(Status.Code code, long nanos) {
      seconds.labelValues(target, service, method, code.name()).observe(nanos / 1e9);
    }
  }

  /** A call made once: recorded as it closes, before its listener hears the status. */
  private static final class SingleCall<Q, R> extends SimpleForwardingClientCall<Q, R> {
    private final Series series;
    private final long startNanos = System.nanoTime();

    SingleCall(ClientCall<Q, R> call, Series series) {
      super(call);
      this.series = series;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(new SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          series.ended(status.getCode(), System.nanoTime() - startNanos);
          super.onClose(status, trailers);
        }
      }, headers);
    }
  }
}
