package ddpm.denoiser.core;

/** Where one version of a model stands in this denoiser. */
public enum VersionState {
  /** In the repository, not loaded: it loads on the first request that names it. */
  AVAILABLE,
  /** Being loaded and warmed up on a loader thread; requests that name it wait for this one load. */
  LOADING,
  /** Loaded and warmed up; the pinned version, else the highest READY one, is the model's default. */
  READY,
  /**
   * Failed to load or warm up, or breaks its model's contract; see the reason. LoadModel or SetDefaultVersion
   * tries it again, and so does the watcher once its files have changed and then held still for a pass.
   */
  REFUSED,
  /** Taken out of service by UnloadModel; only LoadModel brings it back. */
  UNLOADED
}
