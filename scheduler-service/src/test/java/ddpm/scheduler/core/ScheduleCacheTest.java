package ddpm.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class ScheduleCacheTest {
  @Test
  void aScheduleIsComputedOncePerKey() {
    ScheduleCache cache = new ScheduleCache();
    NoiseSchedule first = cache.get(ScheduleKind.LINEAR, 1000, 50);
    assertSame(first, cache.get(ScheduleKind.LINEAR, 1000, 50));
    assertNotSame(first, cache.get(ScheduleKind.COSINE, 1000, 50));
    assertNotSame(first, cache.get(ScheduleKind.LINEAR, 1000, 51));
  }

  @Test
  void respacedEntriesMatchRespacingTheFullSchedule() {
    ScheduleCache cache = new ScheduleCache();
    NoiseSchedule respaced = cache.get(ScheduleKind.COSINE, 500, 20);
    NoiseSchedule expected = NoiseSchedule.of(ScheduleKind.COSINE, 500).respace(20);
    assertArrayEquals(expected.timestepIndices(), respaced.timestepIndices());
    assertArrayEquals(expected.betas(), respaced.betas());
    assertEquals(500, cache.get(ScheduleKind.COSINE, 500, 500).steps());
  }

  @Test
  void theLeastRecentlyUsedEntryIsDroppedAtCapacity() {
    ScheduleCache cache = new ScheduleCache(2);
    NoiseSchedule a = cache.get(ScheduleKind.LINEAR, 100, 100);
    NoiseSchedule b = cache.get(ScheduleKind.LINEAR, 200, 200);
    assertSame(a, cache.get(ScheduleKind.LINEAR, 100, 100));
    cache.get(ScheduleKind.LINEAR, 300, 300);
    assertEquals(2, cache.size());
    assertSame(a, cache.get(ScheduleKind.LINEAR, 100, 100));
    assertNotSame(b, cache.get(ScheduleKind.LINEAR, 200, 200));
  }

  @Test
  void invalidSizesAreRefusedAndNotCached() {
    ScheduleCache cache = new ScheduleCache();
    assertThrows(IllegalArgumentException.class, () -> cache.get(ScheduleKind.LINEAR, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> cache.get(ScheduleKind.LINEAR, 10, 11));
    assertEquals(1, cache.size());
  }
}
