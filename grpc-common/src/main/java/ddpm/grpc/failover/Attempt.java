package ddpm.grpc.failover;

import io.grpc.CallOptions;
import io.grpc.LoadBalancer.Subchannel;
import java.util.Optional;
import java.util.Set;

/**
 * One attempt of a {@link Failover} call, carried to the load balancer in the call's options: the replicas
 * that have refused the call so far, which the pick steps over, and what the pick then chose. A replica is
 * its subchannel, which stays the same while its connection is replaced.
 */
final class Attempt {
  static final CallOptions.Key<Attempt> KEY = CallOptions.Key.create("ddpm.failover.attempt");

  private final Set<Subchannel> refusedBy;
  private volatile Subchannel replica;
  private volatile boolean noReplicaLeft;

  Attempt(Set<Subchannel> refusedBy) {
    this.refusedBy = Set.copyOf(refusedBy);
  }

  boolean refusedBy(Subchannel subchannel) {
    return refusedBy.contains(subchannel);
  }

  /** Recorded by each pick of this attempt (a waiting call is picked again); the last one holds. */
  void picked(Subchannel subchannel) {
    replica = subchannel;
    noReplicaLeft = false;
  }

  /** Recorded when every ready replica has refused this call already: the attempt is dropped unsent. */
  void noReplicaLeft() {
    replica = null;
    noReplicaLeft = true;
  }

  /** The replica this attempt went to; empty when it reached none (none was ready, or none was left). */
  Optional<Subchannel> replica() {
    return Optional.ofNullable(replica);
  }

  boolean wasNoReplicaLeft() {
    return noReplicaLeft;
  }
}
