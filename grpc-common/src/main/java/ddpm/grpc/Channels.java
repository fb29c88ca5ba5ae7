package ddpm.grpc;

import ddpm.grpc.naming.PeerTarget;
import ddpm.metrics.GrpcClientMetrics;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Channels to the suite's own services, with room for image-sized messages, spreading calls over every replica
 * a target names, and steering a {@link ddpm.grpc.failover.Failover}'s retries away from the replicas that
 * refused them (see {@link PeerServiceConfig}). A service dials
 * its peers with its {@link Endpoint#channelCredentials()}; the command line, a client of the services, dials
 * in plaintext. Netty channels run on the process's {@link EventLoops}, held until {@link #close} has ended
 * the channel.
 */
public final class Channels {
  /** Largest message accepted, in either direction: 1024 images of 64×64×3 float32 fit with room. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /**
   * gRPC retries a call transparently (a stream refused before the server saw it, as when it crosses a
   * stopping replica's GOAWAY) only while its request is still buffered, and gRPC's defaults (1 MiB a call,
   * 16 MiB a channel) are below one denoising step of a large batch: such a call would never be retried. A
   * request is held anyway until its call ends, so the buffer costs no copy; the channel-wide limit, 16
   * largest messages, covers a sampler's 16 concurrent requests at their largest batch (half a message).
   */
  static final long RETRY_BUFFER_PER_CALL = MAX_MESSAGE_BYTES;
  static final long RETRY_BUFFER_PER_CHANNEL = 16L * MAX_MESSAGE_BYTES;

  private static final Map<ManagedChannel, EventLoops.Lease> LOOPS = new ConcurrentHashMap<>();

  private Channels() {}

  /**
   * A channel to {@code target}: HOST:PORT, a list HOST:PORT,HOST:PORT,... of replicas, or any gRPC name
   * such as dns:///svc:port (see {@link PeerTarget}). Channels connect lazily: building one starts nothing.
   */
  public static ManagedChannel forTarget(String target, ChannelCredentials credentials) {
    return build(builder(target, credentials));
  }

  /**
   * {@link #forTarget}, recording every call into {@code metrics} under the label {@code target="TARGET"}: a
   * {@link ddpm.grpc.failover.Failover}'s attempts as one call, with its retries and failovers. A service's
   * channels to its peers.
   */
  public static ManagedChannel forTarget(String target, ChannelCredentials credentials, GrpcClientMetrics metrics) {
    return build(builder(target, credentials).intercept(metrics.forTarget(target)));
  }

  /** Any other transport than Netty keeps gRPC's own threads. */
  private static ManagedChannel build(ManagedChannelBuilder<?> builder) {
    if (!(builder instanceof NettyChannelBuilder netty)) {
      return builder.build();
    }
    EventLoops.Lease loops = EventLoops.acquire();
    ManagedChannel channel = loops.connect(netty).build();
    LOOPS.put(channel, loops);
    return channel;
  }

  private static ManagedChannelBuilder<?> builder(String target, ChannelCredentials credentials) {
    PeerTarget peer = PeerTarget.parse(target);
    return Grpc.newChannelBuilder(peer.channelTarget(), credentials, peer.registry())
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .defaultServiceConfig(PeerServiceConfig.get())
        // The suite's policy is the config: a service config published in DNS TXT records does not replace it.
        .disableServiceConfigLookUp()
        .enableRetry()
        .perRpcBufferLimit(RETRY_BUFFER_PER_CALL)
        .retryBufferSize(RETRY_BUFFER_PER_CHANNEL);
  }

  /** {@link #forTarget} in plaintext. */
  public static ManagedChannel plaintext(String target) {
    return forTarget(target, InsecureChannelCredentials.create());
  }

  /** Lets running calls finish for up to 5 s, cancels the rest, and gives back the channel's event loops. */
  public static void close(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
    EventLoops.Lease loops = LOOPS.remove(channel);
    if (loops != null) {
      loops.close();
    }
  }
}
