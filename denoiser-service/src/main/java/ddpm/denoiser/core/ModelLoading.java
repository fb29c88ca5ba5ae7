package ddpm.denoiser.core;

import ddpm.denoiser.batch.BatchingConfig;

/** When a model's first version loads: with the denoiser, or when something first asks for the model. */
public enum ModelLoading {
  /**
   * The watcher's first pass loads the newest loadable version of every model in the repository, and the denoiser
   * reports SERVING once it has: what a long-running denoiser wants, so no caller pays a load.
   */
  AT_START,
  /**
   * A model loads when a request, LoadModel or SetDefaultVersion first names it; from then on the watcher follows
   * its new versions as at start. What a command that starts a suite for one call wants: it loads the one model it
   * samples, not every model in the repository.
   */
  ON_REQUEST;

  /**
   * Images in the batch that warms up a version before it serves. At start, a full batch, so that no caller pays
   * for the largest call's first run. On request a caller is already waiting for the load, and a suite started
   * for one command may never send a full batch: one image checks the network and pays the graph's first-run
   * optimisation, without a full forward pass nobody asked for (docs/benchmarks.md, Startup).
   */
  public int warmUpImages(BatchingConfig batching) {
    return this == AT_START ? batching.maxBatch() : 1;
  }
}
