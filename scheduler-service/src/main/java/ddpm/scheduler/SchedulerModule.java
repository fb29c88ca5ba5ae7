package ddpm.scheduler;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import ddpm.metrics.MetricsModule;
import ddpm.scheduler.core.ScheduleCache;
import ddpm.scheduler.grpc.SchedulerGrpcService;

/** The scheduler's bindings: its config, its metrics registry, one shared cache and the gRPC service. */
public final class SchedulerModule extends AbstractModule {
  private final SchedulerConfig config;

  public SchedulerModule(SchedulerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(SchedulerConfig.class).toInstance(config);
    install(new MetricsModule());
    bind(ScheduleCache.class).in(Singleton.class);
    bind(SchedulerGrpcService.class).in(Singleton.class);
  }
}
