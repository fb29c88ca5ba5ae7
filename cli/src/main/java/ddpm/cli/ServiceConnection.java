package ddpm.cli;

import ddpm.grpc.Channels;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.function.Function;

/**
 * A channel to the one service a command needs: the --target the user named, or the matching service of
 * an embedded suite started for this command alone and stopped with it.
 */
final class ServiceConnection implements AutoCloseable {
  private final EmbeddedSuite suite;
  private final ManagedChannel channel;

  private ServiceConnection(EmbeddedSuite suite, ManagedChannel channel) {
    this.suite = suite;
    this.channel = channel;
  }

  static ServiceConnection open(String target, SuiteOptions options, Function<EmbeddedSuite, String> service)
      throws IOException {
    if (target != null) {
      return new ServiceConnection(null, Channels.forTarget(target));
    }
    EmbeddedSuite suite = new EmbeddedSuite(options.paths());
    return new ServiceConnection(suite, Channels.forTarget(service.apply(suite)));
  }

  ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    Channels.close(channel);
    if (suite != null) {
      suite.close();
    }
  }
}
