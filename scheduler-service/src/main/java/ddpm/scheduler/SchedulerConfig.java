package ddpm.scheduler;

import java.util.Map;

/** Where the scheduler listens. */
public record SchedulerConfig(String host, int port) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 50051;

  public SchedulerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be given");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
  }

  /** The defaults, overridden by DDPM_SCHEDULER_HOST and DDPM_SCHEDULER_PORT where set. */
  public static SchedulerConfig fromEnvironment(Map<String, String> env) {
    return new SchedulerConfig(
        env.getOrDefault("DDPM_SCHEDULER_HOST", DEFAULT_HOST),
        Integer.parseInt(env.getOrDefault("DDPM_SCHEDULER_PORT", String.valueOf(DEFAULT_PORT))));
  }
}
