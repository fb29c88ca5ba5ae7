package ddpm.sampler;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.grpc.Channels;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.metrics.GrpcClientMetrics;
import ddpm.metrics.MetricsModule;
import ddpm.sampler.client.DenoiserClient;
import ddpm.sampler.client.PeerChannels;
import ddpm.sampler.core.Denoiser;
import ddpm.sampler.grpc.SamplerGrpcService;
import ddpm.sampler.grpc.SamplingThreads;
import io.grpc.ChannelCredentials;
import java.util.concurrent.ExecutorService;

/** The sampler's bindings: config, peers over gRPC, and the threads that run requests. */
public final class SamplerModule extends AbstractModule {
  private final SamplerConfig config;

  public SamplerModule(SamplerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(SamplerConfig.class).toInstance(config);
    install(new MetricsModule());
    bind(Denoiser.class).to(DenoiserClient.class).in(Singleton.class);
    bind(SamplerGrpcService.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  PeerChannels peerChannels(SamplerConfig config, GrpcClientMetrics metrics) {
    ChannelCredentials credentials = config.endpoint().channelCredentials();
    return new PeerChannels(Channels.forTarget(config.denoiserTarget(), credentials, metrics),
        Channels.forTarget(config.schedulerTarget(), credentials, metrics));
  }

  @Provides
  @Singleton
  ScheduleSource schedules(PeerChannels channels) {
    return RemoteScheduleSource.kept(channels.scheduler(), config.schedulerCallTimeout());
  }

  @Provides
  @Singleton
  SamplingThreads samplingThreads(SamplerConfig config) {
    return new SamplingThreads(config.maxConcurrentRequests(), config.maxQueuedRequests());
  }

  @Provides
  @Named(SamplerGrpcService.EXECUTOR)
  ExecutorService samplingExecutor(SamplingThreads threads) {
    return threads;
  }
}
