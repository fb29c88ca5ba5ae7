package ddpm.scheduler;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.grpc.ServerRunner;
import ddpm.scheduler.grpc.SchedulerGrpcService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/** Starts the schedule service. */
public final class SchedulerServer {
  private SchedulerServer() {}

  /** Binds {@code config}'s endpoint (port 0 picks a free one) and serves until the runner is closed. */
  public static ServerRunner start(SchedulerConfig config) throws IOException {
    Injector injector = Guice.createInjector(new SchedulerModule(config));
    return ServerRunner.builder("scheduler", config.endpoint(),
            List.of(injector.getInstance(SchedulerGrpcService.class)))
        .metrics(injector.getInstance(PrometheusRegistry.class))
        .start();
  }
}
