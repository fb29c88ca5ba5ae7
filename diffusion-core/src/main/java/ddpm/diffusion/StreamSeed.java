package ddpm.diffusion;

/**
 * The one recipe that turns a user's seed into the seeds of independent random streams: stream {@code index}
 * of {@code seed} is seeded with SplitMix64's finaliser (Stafford's variant 13) of seed + index · γ, γ the
 * golden-ratio increment. That is the index-th {@code nextLong()} of {@code new SplittableRandom(seed)}, computed
 * directly, so any stream is reached without drawing the ones before it. Hashing keeps neighbouring indices
 * from seeding SplittableRandoms whose sequences are shifts of each other. The sampler's noise (one stream per
 * image) and the trainer's draws (one stream per step and per epoch) both come from here, so their numbers stay
 * what they were when each had its own copy.
 */
public final class StreamSeed {
  /** The golden-ratio increment of SplitMix64: consecutive indices get well-separated seeds. */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private StreamSeed() {}

  /** The seed of stream {@code index} of {@code seed}; every long is a valid seed and a valid index. */
  public static long of(long seed, long index) {
    long z = seed + index * GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
