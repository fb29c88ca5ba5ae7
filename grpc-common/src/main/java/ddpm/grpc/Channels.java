package ddpm.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Plaintext channels to the suite's own services, with room for image-sized messages. */
public final class Channels {
  /** Largest message accepted, in either direction: 1024 images of 64×64×3 float32 fit with room. */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private Channels() {}

  /** A channel to {@code target}: HOST:PORT, or any gRPC name such as dns:///svc:port. */
  public static ManagedChannel forTarget(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .build();
  }

  public static void close(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
