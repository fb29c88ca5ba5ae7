package ddpm.denoiser;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import ddpm.denoiser.core.ModelCatalog;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.NoisePredictor;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.metrics.MetricsModule;
import ddpm.repository.ModelRepository;

/** The denoiser's object graph. Binding loads nothing: models load on their first request. */
public final class DenoiserModule extends AbstractModule {
  private final DenoiserConfig config;

  public DenoiserModule(DenoiserConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(DenoiserConfig.class).toInstance(config);
    bind(EpsNetworkLoader.class).toInstance(DjlEpsNetwork::load);
    install(new MetricsModule());
  }

  @Provides
  @Singleton
  ModelCatalog catalog(DenoiserConfig config) {
    return new ModelCatalog(new ModelRepository(config.modelRepository()));
  }

  @Provides
  @Singleton
  ModelRegistry registry(ModelCatalog catalog, EpsNetworkLoader loader) {
    return new ModelRegistry(catalog, loader);
  }

  @Provides
  @Singleton
  NoisePredictor predictor(ModelRegistry registry, DenoiserConfig config) {
    return new NoisePredictor(registry, config.maxBatch());
  }

  @Provides
  @Singleton
  DenoiserGrpcService service(NoisePredictor predictor, ModelCatalog catalog) {
    return new DenoiserGrpcService(predictor, catalog);
  }
}
