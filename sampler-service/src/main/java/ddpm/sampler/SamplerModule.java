package ddpm.sampler;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import ddpm.diffusion.schedule.ScheduleSource;
import ddpm.grpc.Channels;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.metrics.MetricsModule;
import ddpm.sampler.client.DenoiserClient;
import ddpm.sampler.client.PeerChannels;
import ddpm.sampler.core.Denoiser;
import ddpm.sampler.grpc.SamplerGrpcService;
import io.grpc.ChannelCredentials;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The sampler's bindings: config, peers over gRPC, and the threads that run requests. */
public final class SamplerModule extends AbstractModule {
  /**
   * Requests sampled at once; one more is refused with RESOURCE_EXHAUSTED rather than queued, so that a
   * waiting request does not spend its deadline in a queue. Each thread mostly waits on the denoiser.
   */
  public static final int MAX_CONCURRENT_REQUESTS = 16;

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
  PeerChannels peerChannels(SamplerConfig config) {
    ChannelCredentials credentials = config.endpoint().channelCredentials();
    return new PeerChannels(Channels.forTarget(config.denoiserTarget(), credentials),
        Channels.forTarget(config.schedulerTarget(), credentials));
  }

  @Provides
  @Singleton
  ScheduleSource schedules(PeerChannels channels) {
    return RemoteScheduleSource.kept(channels.scheduler(), config.schedulerCallTimeout());
  }

  @Provides
  @Singleton
  @Named(SamplerGrpcService.EXECUTOR)
  ExecutorService samplingThreads() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, MAX_CONCURRENT_REQUESTS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        task -> {
          Thread thread = new Thread(task, "sampler-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  @Provides
  @Named(SamplerGrpcService.EXECUTOR)
  Executor samplingExecutor(@Named(SamplerGrpcService.EXECUTOR) ExecutorService threads) {
    return threads;
  }
}
