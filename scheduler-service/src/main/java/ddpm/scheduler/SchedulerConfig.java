package ddpm.scheduler;

/** Where the scheduler listens. */
public record SchedulerConfig(String host, int port) {}
