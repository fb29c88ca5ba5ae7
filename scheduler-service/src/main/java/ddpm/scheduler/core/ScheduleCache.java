package ddpm.scheduler.core;

import com.google.inject.Inject;
import ddpm.diffusion.schedule.CachedScheduleSource;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;

/**
 * Schedules by (kind, T, K), each computed once. The cache keeps the most recently used entries only: a
 * schedule of T = 100000 holds about 8 MB, and callers choose (T, K) freely.
 */
public final class ScheduleCache {
  public static final int DEFAULT_CAPACITY = 32;

  private final CachedScheduleSource entries;

  @Inject
  public ScheduleCache() {
    this(DEFAULT_CAPACITY);
  }

  public ScheduleCache(int capacity) {
    entries = new CachedScheduleSource(this::compute, capacity);
  }

  /**
   * The schedule of {@code timesteps} steps respaced to {@code steps} (K = T for the full one); invalid
   * sizes fail with an {@link IllegalArgumentException} naming "timesteps" or "respace_steps".
   */
  public NoiseSchedule get(ScheduleKind kind, int timesteps, int steps) {
    return entries.schedule(kind, timesteps, steps);
  }

  public int size() {
    return entries.size();
  }

  private NoiseSchedule compute(ScheduleKind kind, int timesteps, int steps) {
    return steps == timesteps
        ? NoiseSchedule.of(kind, timesteps)
        : get(kind, timesteps, timesteps).respace(steps);
  }
}
