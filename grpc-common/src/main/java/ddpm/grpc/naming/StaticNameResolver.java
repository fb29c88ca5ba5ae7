package ddpm.grpc.naming;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Resolves a fixed list of replicas to one address group per replica, so that round_robin keeps one
 * subchannel per replica. Host names are looked up again on every refresh (the channel asks for one when a
 * replica's connection fails), so a replica that comes back under a new IP is found again.
 */
final class StaticNameResolver extends NameResolver {
  private final List<HostPort> replicas;
  private final String authority;
  private final SynchronizationContext syncContext;
  private final Executor lookups;
  private Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  StaticNameResolver(List<HostPort> replicas, Args args) {
    this.replicas = List.copyOf(replicas);
    // The first replica names the service, as a single HOST:PORT target would.
    this.authority = replicas.get(0).toString();
    this.syncContext = args.getSynchronizationContext();
    // DNS lookups block, and the synchronization context must not: they run on the channel's offload executor.
    Executor offload = args.getOffloadExecutor();
    this.lookups = offload != null ? offload : Runnable::run;
  }

  @Override
  public String getServiceAuthority() {
    return authority;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  /** Called in the synchronization context; at most one lookup runs at a time. */
  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    lookups.execute(() -> {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (HostPort replica : replicas) {
        InetSocketAddress address = replica.resolve();
        if (address.isUnresolved()) {
          failed.add(replica.toString());
        } else {
          groups.add(new EquivalentAddressGroup(address));
        }
      }
      syncContext.execute(() -> deliver(groups, failed));
    });
  }

  /** Replicas whose name does not resolve are left out until the next refresh; only none at all is an error. */
  private void deliver(List<EquivalentAddressGroup> groups, List<String> failed) {
    resolving = false;
    if (shutdown) {
      return;
    }
    if (groups.isEmpty()) {
      listener.onError(Status.UNAVAILABLE.withDescription("no replica address resolves: " + failed));
    } else {
      listener.onResult2(ResolutionResult.newBuilder().setAddresses(groups).build());
    }
  }
}
