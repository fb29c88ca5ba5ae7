package ddpm.denoiser.core;

import ddpm.denoiser.batch.DynamicBatcher;
import ddpm.denoiser.engine.EpsNetwork;

/** A model version loaded, warmed up and taking requests through its own batcher. */
public record ServedModel(VersionedCard card, EpsNetwork network, DynamicBatcher batcher) implements AutoCloseable {
  /** Finishes what is queued, then frees the network. */
  @Override
  public void close() {
    try {
      batcher.close();
    } finally {
      network.close();
    }
  }
}
