package ddpm.scheduler;

import static ddpm.grpc.ConfigChecks.requireSet;

import ddpm.grpc.Endpoint;

/** Where the scheduler listens (and serves its Prometheus metrics, if it does). */
public record SchedulerConfig(Endpoint endpoint) {
  public SchedulerConfig {
    requireSet(endpoint, "endpoint");
  }
}
