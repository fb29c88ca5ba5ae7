package ddpm.sampler;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import ddpm.grpc.ServerRunner;
import ddpm.sampler.client.PeerChannels;
import ddpm.sampler.grpc.SamplerGrpcService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** Starts the sampler: ddpm.v1.SamplerService, driving one denoiser and one scheduler. */
public final class SamplerServer {
  private SamplerServer() {}

  /**
   * Starts serving on {@code config}'s endpoint (port 0 picks a free one). Closing the runner stops the
   * server, then the sampling threads, then the channels to the peers.
   */
  public static ServerRunner start(SamplerConfig config) throws IOException {
    Injector injector = Guice.createInjector(new SamplerModule(config));
    ExecutorService threads =
        injector.getInstance(Key.get(ExecutorService.class, Names.named(SamplerGrpcService.EXECUTOR)));
    PeerChannels channels = injector.getInstance(PeerChannels.class);
    try {
      return ServerRunner.builder("sampler", config.endpoint(), List.of(injector.getInstance(SamplerGrpcService.class)))
          .closeAfter(threads::shutdownNow, channels)
          .metrics(injector.getInstance(PrometheusRegistry.class))
          .start();
    } catch (IOException | RuntimeException e) {
      threads.shutdownNow();
      channels.close();
      throw e;
    }
  }
}
