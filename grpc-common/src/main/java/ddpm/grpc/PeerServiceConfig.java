package ddpm.grpc;

import ddpm.grpc.failover.FailoverLoadBalancer;
import java.util.List;
import java.util.Map;

/**
 * The service config every channel starts with (gRPC's JSON service config, as the maps and lists it parses
 * to): round_robin over every address the target resolves to, so calls spread over all replicas instead of
 * pick_first's one, in the form that steers a retried call away from the replicas that refused it
 * ({@link FailoverLoadBalancer}).
 *
 * <p>It has no retryPolicy: the retries are {@link ddpm.grpc.failover.Failover}'s, made by the caller. gRPC's
 * policy could list more codes, but it cannot tell replicas apart, caps attempts at 5, and cannot wait for a
 * restarting replica until the deadline; one policy in one place also keeps attempts from multiplying.
 */
public final class PeerServiceConfig {
  static {
    FailoverLoadBalancer.register();
  }

  private PeerServiceConfig() {}

  public static Map<String, Object> get() {
    return Map.of("loadBalancingConfig", List.of(Map.of(FailoverLoadBalancer.POLICY, Map.of())));
  }
}
