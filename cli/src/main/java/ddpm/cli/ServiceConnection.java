package ddpm.cli;

import ddpm.cli.ServeCommand.Service;
import ddpm.denoiser.core.ModelLoading;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A channel to the one service a command needs: the --target the user named, or the matching service of
 * an embedded suite started for this command alone and stopped with it.
 */
final class ServiceConnection implements AutoCloseable {
  private final EmbeddedSuite suite;
  private final ManagedChannel managed;
  private final Channel channel;
  private final List<ManagedChannel> siblings = new ArrayList<>();

  private ServiceConnection(EmbeddedSuite suite, ManagedChannel managed, Channel channel) {
    this.suite = suite;
    this.managed = managed;
    this.channel = channel;
  }

  /** {@code security} applies to {@code target}; an embedded suite is on loopback, in plaintext. */
  static ServiceConnection open(Service service, String target, TargetSecurityOptions security, SuiteOptions options)
      throws IOException {
    return open(service, target, security, options, PrecisionChoice.AUTO);
  }

  /**
   * As {@link #open(Service, String, TargetSecurityOptions, SuiteOptions)}; an embedded suite's denoiser runs its
   * networks as {@code denoiser} says. A --target's denoiser keeps its own settings.
   */
  static ServiceConnection open(Service service, String target, TargetSecurityOptions security, SuiteOptions options,
      DeviceOptions denoiser) throws IOException {
    if (target != null) {
      return remote(service, target, security);
    }
    return embedded(service, options, DeviceChoice.parse(denoiser.device, DeviceOptions.FLAG),
        PrecisionChoice.parse(denoiser.precision, DeviceOptions.PRECISION_FLAG),
        GroupNormKernel.parse(denoiser.groupNorm, DeviceOptions.GROUP_NORM_FLAG));
  }

  /**
   * As {@link #open(Service, String, TargetSecurityOptions, SuiteOptions)}; an embedded suite's trainer (and
   * denoiser) in {@code precision}. A --target's trainer keeps its own.
   */
  static ServiceConnection open(Service service, String target, TargetSecurityOptions security, SuiteOptions options,
      PrecisionChoice precision) throws IOException {
    return target != null ? remote(service, target, security)
        : embedded(service, options, DeviceChoice.AUTO, precision, GroupNormKernel.FUSED);
  }

  private static ServiceConnection remote(Service service, String target, TargetSecurityOptions security)
      throws IOException {
    ManagedChannel managed = Channels.forTarget(target, security.credentials());
    return new ServiceConnection(null, managed,
        ClientInterceptors.intercept(managed, new UnreachableTarget(service, target)));
  }

  private static ServiceConnection embedded(Service service, SuiteOptions options, DeviceChoice device,
      PrecisionChoice precision, GroupNormKernel groupNorm) throws IOException {
    // A suite for one command loads only the models the command asks for.
    EmbeddedSuite suite = new EmbeddedSuite(options.paths(), Endpoint.NO_METRICS, device, precision,
        ModelLoading.ON_REQUEST, groupNorm);
    ManagedChannel managed = Channels.plaintext(address(suite, service));
    return new ServiceConnection(suite, managed, managed);
  }

  Channel channel() {
    return channel;
  }

  /**
   * A channel to another service of the embedded suite, closed with this connection; empty with a --target,
   * which names one service only.
   */
  Optional<Channel> embedded(Service service) {
    if (suite == null) {
      return Optional.empty();
    }
    ManagedChannel sibling = Channels.plaintext(address(suite, service));
    siblings.add(sibling);
    return Optional.of(sibling);
  }

  private static String address(EmbeddedSuite suite, Service service) {
    return switch (service) {
      case scheduler -> suite.schedulerAddress();
      case denoiser -> suite.denoiserAddress();
      case sampler -> suite.samplerAddress();
      case trainer -> suite.trainerAddress();
    };
  }

  @Override
  public void close() {
    siblings.forEach(Channels::close);
    Channels.close(managed);
    if (suite != null) {
      suite.close();
    }
  }

  /**
   * Where gRPC says only "UNAVAILABLE: io exception", names the service and the target and says what to check. A
   * failure to connect carries its cause; an UNAVAILABLE the service itself returns (about a peer of its own) has
   * none and passes unchanged.
   */
  private record UnreachableTarget(Service service, String target) implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
        CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          super.start(new SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(Status status, Metadata trailers) {
              super.onClose(explained(status), trailers);
            }
          }, headers);
        }
      };
    }

    private Status explained(Status status) {
      if (status.getCode() != Status.Code.UNAVAILABLE || status.getCause() == null) {
        return status;
      }
      String why = status.getCause().getMessage();
      return status.withDescription("cannot reach the " + service + " at " + target + " (" + why
          + "); is `ddpm serve " + service + "` running there, and are the host and port right?");
    }
  }
}
