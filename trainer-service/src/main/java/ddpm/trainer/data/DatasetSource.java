package ddpm.trainer.data;

/**
 * Where one data set's images come from. {@link #checkAvailable} runs before a job is accepted, so it stays
 * cheap (presence, headers); {@link #load} reads everything and reports whatever the cheap check could not see.
 */
interface DatasetSource {
  Dataset load();

  /** Throws IllegalArgumentException or IllegalStateException, naming the path and the problem. */
  default void checkAvailable() {}
}
