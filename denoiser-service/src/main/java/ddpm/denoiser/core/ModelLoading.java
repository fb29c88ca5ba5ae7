package ddpm.denoiser.core;

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
  ON_REQUEST
}
