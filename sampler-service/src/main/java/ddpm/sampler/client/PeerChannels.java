package ddpm.sampler.client;

import ddpm.grpc.Channels;
import io.grpc.ManagedChannel;

/** The sampler's channels to its peers; closed once the sampler's server has stopped. */
public final class PeerChannels implements AutoCloseable {
  private final ManagedChannel denoiser;
  private final ManagedChannel scheduler;

  public PeerChannels(ManagedChannel denoiser, ManagedChannel scheduler) {
    this.denoiser = denoiser;
    this.scheduler = scheduler;
  }

  public ManagedChannel denoiser() {
    return denoiser;
  }

  public ManagedChannel scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    Channels.close(denoiser);
    Channels.close(scheduler);
  }
}
