package ddpm.testing;

import ddpm.grpc.Channels;
import ddpm.grpc.ServerRunner;
import io.grpc.ManagedChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 counterpart of grpc-java's GrpcCleanupRule: servers and channels registered during a test are
 * closed after it, newest first, and the test fails if a channel does not terminate.
 * Use as {@code @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();}.
 */
public final class GrpcCleanup implements AfterEachCallback {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  public ServerRunner register(ServerRunner server) {
    resources.push(server);
    return server;
  }

  public ManagedChannel register(ManagedChannel channel) {
    resources.push(() -> {
      Channels.close(channel);
      if (!channel.isTerminated()) {
        throw new AssertionError("channel did not terminate: " + channel);
      }
    });
    return channel;
  }

  /** A channel to a registered server, itself registered. */
  public ManagedChannel channelTo(ServerRunner server) {
    return register(Channels.plaintext(server.address()));
  }

  /** Anything else to close after the test (a model, an executor). */
  public <T extends AutoCloseable> T register(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
