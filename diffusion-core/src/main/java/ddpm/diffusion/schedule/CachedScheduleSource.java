package ddpm.diffusion.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schedules another source gave, kept by (kind, T, K, spacing). A schedule is a function of those alone, so a
 * kept one never goes stale: the scheduler keeps what it computed, and a sampler or trainer what it fetched,
 * which it can then use while the scheduler is down. Only the most recently used are kept: a schedule of
 * T = 100000 holds about 8 MB, and callers choose (T, K) freely. A miss asks the source without holding the
 * cache, so that a slow source (a scheduler being retried) never delays the schedules already known.
 */
public final class CachedScheduleSource implements ScheduleSource {
  private final ScheduleSource source;
  private final Map<Key, NoiseSchedule> entries;

  public CachedScheduleSource(ScheduleSource source, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be ≥ 1, got " + capacity);
    }
    this.source = source;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, NoiseSchedule> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public NoiseSchedule schedule(ScheduleKind kind, int timesteps, int steps, Spacing spacing) {
    Key key = new Key(kind, timesteps, steps, spacing);
    synchronized (entries) {
      NoiseSchedule kept = entries.get(key);
      if (kept != null) {
        return kept;
      }
    }
    NoiseSchedule schedule = source.schedule(kind, timesteps, steps, spacing);
    synchronized (entries) {
      entries.put(key, schedule);
    }
    return schedule;
  }

  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private record Key(ScheduleKind kind, int timesteps, int steps, Spacing spacing) {}
}
