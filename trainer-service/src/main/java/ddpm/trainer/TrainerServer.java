package ddpm.trainer;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.grpc.Channels;
import ddpm.grpc.ServerRunner;
import ddpm.trainer.grpc.TrainerGrpcService;
import ddpm.trainer.jobs.JobManager;
import io.grpc.ManagedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/** Starts the training service. */
public final class TrainerServer {
  private TrainerServer() {}

  /**
   * Binds {@code config}'s endpoint (port 0 picks a free one) and serves until the runner is closed, which
   * then cancels the jobs, waits for the running one to stop, and closes the scheduler channel.
   */
  public static ServerRunner start(TrainerConfig config) throws IOException {
    Injector injector = Guice.createInjector(new TrainerModule(config));
    ManagedChannel scheduler = injector.getInstance(ManagedChannel.class);
    return ServerRunner.builder("trainer", config.endpoint(), List.of(injector.getInstance(TrainerGrpcService.class)))
        .closeAfter(injector.getInstance(JobManager.class), () -> Channels.close(scheduler))
        .metrics(injector.getInstance(PrometheusRegistry.class))
        .start();
  }
}
