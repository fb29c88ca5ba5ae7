package ddpm.scheduler.core;

import com.google.inject.Inject;
import ddpm.diffusion.schedule.CachedScheduleSource;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.Spacing;

/**
 * Schedules by (kind, T, K, spacing), each computed once. The cache keeps the most recently used entries only: a
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
   * The schedule of {@code timesteps} steps respaced evenly to {@code steps} (K = T for the full one); invalid
   * sizes fail with an {@link IllegalArgumentException} naming "timesteps" or "respace_steps".
   */
  public NoiseSchedule get(ScheduleKind kind, int timesteps, int steps) {
    return get(kind, timesteps, steps, Spacing.EVEN);
  }

  /** The schedule of {@code timesteps} steps respaced to {@code steps} at the timesteps {@code spacing} keeps. */
  public NoiseSchedule get(ScheduleKind kind, int timesteps, int steps, Spacing spacing) {
    return entries.schedule(kind, timesteps, steps, spacing);
  }

  public int size() {
    return entries.size();
  }

  private NoiseSchedule compute(ScheduleKind kind, int timesteps, int steps, Spacing spacing) {
    return steps == timesteps && spacing.equals(Spacing.EVEN)
        ? NoiseSchedule.of(kind, timesteps)
        : get(kind, timesteps, timesteps).respace(steps, spacing);
  }
}
