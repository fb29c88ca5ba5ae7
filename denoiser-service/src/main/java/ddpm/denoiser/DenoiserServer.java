package ddpm.denoiser;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.RepositoryWatcher;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.denoiser.grpc.ModelControlGrpcService;
import ddpm.grpc.ServerRunner;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/** Starts the denoiser: ddpm.v1.DenoiserService and ModelControlService over the models of one repository. */
public final class DenoiserServer {
  private DenoiserServer() {}

  /**
   * Starts serving at once, NOT_SERVING on grpc.health.v1 until the repository watcher's first pass has
   * loaded and warmed up every model's default; requests that come earlier wait for their model's load.
   * Closing the returned runner stops the server, then the watcher, then closes every loaded model.
   */
  public static ServerRunner start(DenoiserConfig config) throws IOException {
    return start(config, Modules.EMPTY_MODULE);
  }

  /** As {@link #start(DenoiserConfig)} with some bindings replaced: tests swap in a network loader. */
  static ServerRunner start(DenoiserConfig config, Module overrides) throws IOException {
    Injector injector = Guice.createInjector(Modules.override(new DenoiserModule(config)).with(overrides));
    RepositoryWatcher watcher = injector.getInstance(RepositoryWatcher.class);
    ServerRunner runner = ServerRunner.builder("denoiser", config.endpoint(),
            List.of(injector.getInstance(DenoiserGrpcService.class), injector.getInstance(ModelControlGrpcService.class)))
        .initialStatus(ServingStatus.NOT_SERVING)
        .closeAfter(watcher, injector.getInstance(ModelRegistry.class))
        .metrics(injector.getInstance(PrometheusRegistry.class))
        .start();
    watcher.start(() -> runner.setServing(ServingStatus.SERVING));
    return runner;
  }
}
