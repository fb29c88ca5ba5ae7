package ddpm.denoiser;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.grpc.ServerRunner;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/** Starts the denoiser: ddpm.v1.DenoiserService over the models of one repository. */
public final class DenoiserServer {
  private DenoiserServer() {}

  /** Starts serving; closing the returned runner stops the server, then closes every loaded model. */
  public static ServerRunner start(DenoiserConfig config) throws IOException {
    Injector injector = Guice.createInjector(new DenoiserModule(config));
    return ServerRunner.builder("denoiser", config.host(), config.port(),
            List.of(injector.getInstance(DenoiserGrpcService.class)))
        .closeAfter(injector.getInstance(ModelRegistry.class))
        .metrics(injector.getInstance(PrometheusRegistry.class), config.metricsPort())
        .start();
  }
}
