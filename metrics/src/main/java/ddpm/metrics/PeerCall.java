package ddpm.metrics;

import io.grpc.CallOptions;
import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;

/**
 * One call to a peer over all its attempts, for {@link GrpcClientMetrics}: the caller that retries creates it
 * as the call starts, passes it in every attempt's options under {@link #KEY}, reports each attempt that was
 * sent and the call's end. The channel's interceptor, which knows the target and the method, says where it is
 * recorded; through a channel without one it records nothing. A call's attempts are made one after another.
 */
public final class PeerCall {
  public static final CallOptions.Key<PeerCall> KEY = CallOptions.Key.create("ddpm.metrics.peer-call");

  private final long startNanos = System.nanoTime();
  private volatile GrpcClientMetrics.Series series;
  private int attempts;
  private Object lastReplica;

  void recordInto(GrpcClientMetrics.Series series) {
    this.series = series;
  }

  /**
   * An attempt went out, to {@code replica} (any object that stands for one replica), or reached none (no
   * replica was ready). Every attempt after the first is a retry; one that reached another replica than the
   * last one reached is also a failover.
   */
  public synchronized void attempted(Optional<?> replica) {
    GrpcClientMetrics.Series recorded = series;
    if (attempts++ > 0 && recorded != null) {
      recorded.retried(replica.isPresent() && lastReplica != null && !Objects.equals(replica.get(), lastReplica));
    }
    replica.ifPresent(reached -> lastReplica = reached);
  }

  /** The call ended with {@code code}: recorded with the time since it started. */
  public void ended(Status.Code code) {
    GrpcClientMetrics.Series recorded = series;
    if (recorded != null) {
      recorded.ended(code, System.nanoTime() - startNanos);
    }
  }
}
