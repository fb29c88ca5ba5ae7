package ddpm.grpc;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Map;

/**
 * The service config every channel starts with (gRPC's JSON service config, as the maps and lists it parses
 * to; numbers are doubles as in JSON):
 *
 * <ul>
 *   <li>round_robin over every address the target resolves to, so calls spread over all replicas instead
 *       of pick_first's one;
 *   <li>a retry policy for the idempotent reads that replicas answer alike: a denoising step, model info
 *       and schedules. An attempt that fails with UNAVAILABLE (a replica stopped or unreachable) is tried
 *       again after a backoff, and round_robin's next pick is another READY replica. Only UNAVAILABLE is
 *       retried: any other code is the replica's answer (NOT_FOUND, INVALID_ARGUMENT) or the caller's
 *       (DEADLINE_EXCEEDED, CANCELLED), and another replica would give the same one.
 * </ul>
 *
 * Every attempt runs under the call's one deadline, so retries never make a call outlive it.
 */
public final class PeerServiceConfig {
  /** The first attempt and up to three retries: enough to step past two stopped replicas and a refused connect. */
  public static final int MAX_ATTEMPTS = 4;
  public static final String INITIAL_BACKOFF = "0.1s";
  public static final String MAX_BACKOFF = "1s";
  public static final double BACKOFF_MULTIPLIER = 2;

  private PeerServiceConfig() {}

  public static Map<String, Object> get() {
    return Map.of(
        "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
        "methodConfig", List.of(Map.of(
            "name", List.of(
                name(DenoiserServiceGrpc.getPredictNoiseMethod()),
                name(DenoiserServiceGrpc.getGetModelInfoMethod()),
                name(DenoiserServiceGrpc.getListModelsMethod()),
                name(ScheduleServiceGrpc.getGetScheduleMethod())),
            "retryPolicy", Map.of(
                "maxAttempts", (double) MAX_ATTEMPTS,
                "initialBackoff", INITIAL_BACKOFF,
                "maxBackoff", MAX_BACKOFF,
                "backoffMultiplier", BACKOFF_MULTIPLIER,
                "retryableStatusCodes", List.of("UNAVAILABLE")))));
  }

  private static Map<String, Object> name(MethodDescriptor<?, ?> method) {
    return Map.of("service", method.getServiceName(), "method", method.getBareMethodName());
  }
}
