package ddpm.denoiser;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import ddpm.denoiser.core.ModelCatalog;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.NoisePredictor;
import ddpm.denoiser.core.RepositoryWatcher;
import ddpm.denoiser.core.VersionLoader;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.denoiser.grpc.ModelControlGrpcService;
import ddpm.denoiser.metrics.BatchMetrics;
import ddpm.metrics.MetricsModule;
import ddpm.repository.ModelRepository;

/** The denoiser's object graph. Binding loads nothing: the repository watcher loads models once started. */
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
  ModelRegistry registry(ModelCatalog catalog, EpsNetworkLoader loader, DenoiserConfig config,
      BatchMetrics metrics) {
    VersionLoader versions = new VersionLoader(loader, config.batching(), metrics::forVersion);
    return new ModelRegistry(catalog, versions, config.unloadGrace().toNanos(), System::nanoTime);
  }

  @Provides
  @Singleton
  RepositoryWatcher watcher(ModelRegistry registry, DenoiserConfig config) {
    return new RepositoryWatcher(registry, config.repositoryPoll());
  }

  @Provides
  @Singleton
  NoisePredictor predictor(ModelRegistry registry) {
    return new NoisePredictor(registry);
  }

  @Provides
  @Singleton
  DenoiserGrpcService service(NoisePredictor predictor, ModelRegistry registry, ModelCatalog catalog) {
    return new DenoiserGrpcService(predictor, registry, catalog);
  }

  @Provides
  @Singleton
  ModelControlGrpcService control(ModelRegistry registry) {
    return new ModelControlGrpcService(registry);
  }
}
