package ddpm.scheduler.core;

import com.google.inject.Inject;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schedules by (kind, T, K), each computed once. The cache keeps the most recently used entries only: a
 * schedule of T = 100000 holds about 8 MB, and callers choose (T, K) freely.
 */
public final class ScheduleCache {
  public static final int DEFAULT_CAPACITY = 32;

  private final Map<Key, NoiseSchedule> entries;

  @Inject
  public ScheduleCache() {
    this(DEFAULT_CAPACITY);
  }

  public ScheduleCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be ≥ 1, got " + capacity);
    }
    entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, NoiseSchedule> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The schedule of {@code timesteps} steps respaced to {@code steps} (K = T for the full one); invalid
   * sizes fail with an {@link IllegalArgumentException} naming "timesteps" or "respace_steps".
   */
  public synchronized NoiseSchedule get(ScheduleKind kind, int timesteps, int steps) {
    Key key = new Key(kind, timesteps, steps);
    NoiseSchedule cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    NoiseSchedule schedule = steps == timesteps
        ? NoiseSchedule.of(kind, timesteps)
        : get(kind, timesteps, timesteps).respace(steps);
    entries.put(key, schedule);
    return schedule;
  }

  public synchronized int size() {
    return entries.size();
  }

  private record Key(ScheduleKind kind, int timesteps, int steps) {}
}
