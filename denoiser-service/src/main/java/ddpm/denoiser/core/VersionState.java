package ddpm.denoiser.core;

/** Where one version of a model stands in this denoiser. */
public enum VersionState {
  /** In the repository, not loaded: it loads on the first request that names it. */
  AVAILABLE,
  /** Being loaded and warmed up on a loader thread; requests that name it wait for this one load. */
  LOADING,
  /** Loaded and warmed up; the highest READY version is the model's default. */
  READY,
  /** Failed to load or warm up; see the reason. Only LoadModel tries it again. */
  REFUSED,
  /** Taken out of service by UnloadModel; only LoadModel brings it back. */
  UNLOADED
}
