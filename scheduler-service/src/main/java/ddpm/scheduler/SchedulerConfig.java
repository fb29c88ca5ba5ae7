package ddpm.scheduler;

import ddpm.grpc.ServerRunner;

/** Where the scheduler listens, and the port of its Prometheus metrics ({@link ServerRunner#NO_METRICS}: none). */
public record SchedulerConfig(String host, int port, int metricsPort) {
  public SchedulerConfig(String host, int port) {
    this(host, port, ServerRunner.NO_METRICS);
  }
}
