package ddpm.scheduler;

/** Where the scheduler listens. */
public record SchedulerConfig(String host, int port) {
  public SchedulerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be given");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
  }
}
