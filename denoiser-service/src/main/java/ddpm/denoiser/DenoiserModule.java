package ddpm.denoiser;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import ddpm.denoiser.core.ModelCatalog;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.NoisePredictor;
import ddpm.denoiser.core.RepositoryWatcher;
import ddpm.denoiser.core.VersionLoader;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.denoiser.engine.EpsNetworkLoader;
import ddpm.denoiser.engine.FormatLoaders;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.denoiser.grpc.ModelControlGrpcService;
import ddpm.denoiser.metrics.BatchMetrics;
import ddpm.denoiser.metrics.VersionMetrics;
import ddpm.metrics.MetricsModule;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.Precision;
import java.util.Map;

/** The denoiser's object graph. Binding loads nothing: the repository watcher loads models once started. */
public final class DenoiserModule extends AbstractModule {
  private final DenoiserConfig config;
  private final ComputeDevice device;
  private final Precision precision;

  /**
   * Picks the device and the precision here, before any binding, so that {@code --device gpu} on a machine where
   * TensorFlow sees no GPU, or {@code --precision bf16} where it would not run, fails at start with one line rather
   * than a Guice provisioning report.
   */
  public DenoiserModule(DenoiserConfig config) {
    this.config = config;
    this.device = config.device().select("--device");
    this.precision = config.precision().select(device, "--precision");
  }

  @Override
  protected void configure() {
    bind(DenoiserConfig.class).toInstance(config);
    MapBinder<String, EpsNetworkLoader> formats =
        MapBinder.newMapBinder(binder(), String.class, EpsNetworkLoader.class);
    formats.addBinding(EpsContract.TENSORFLOW_SAVED_MODEL)
        .toInstance((versionDir, card) ->
            DjlEpsNetwork.load(versionDir, card, device, precision, config.groupNorm()));
    install(new MetricsModule());
  }

  /** The loader of every model.json format this denoiser serves, picked per version by its card. */
  @Provides
  @Singleton
  EpsNetworkLoader loader(Map<String, EpsNetworkLoader> formats) {
    return new FormatLoaders(formats);
  }

  @Provides
  @Singleton
  ModelCatalog catalog(DenoiserConfig config) {
    return new ModelCatalog(new ModelRepository(config.modelRepository()));
  }

  @Provides
  @Singleton
  ModelRegistry registry(ModelCatalog catalog, EpsNetworkLoader loader, DenoiserConfig config,
      BatchMetrics metrics, VersionMetrics versionMetrics) {
    VersionLoader versions = new VersionLoader(loader, config.batching(), config.modelLoading(), metrics::forVersion);
    return new ModelRegistry(catalog, versions, config.unloadGrace().toNanos(), System::nanoTime, versionMetrics,
        config.modelLoading());
  }

  @Provides
  @Singleton
  RepositoryWatcher watcher(ModelRegistry registry, DenoiserConfig config) {
    return new RepositoryWatcher(registry, config.repositoryPoll());
  }

  @Provides
  @Singleton
  NoisePredictor predictor(ModelRegistry registry, DenoiserConfig config) {
    return new NoisePredictor(registry, config.maxImagesPerCall());
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
