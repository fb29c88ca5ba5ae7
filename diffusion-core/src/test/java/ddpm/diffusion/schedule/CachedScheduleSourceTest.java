package ddpm.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedScheduleSourceTest {
  private final List<String> asked = new ArrayList<>();
  private boolean down;
  private final ScheduleSource scheduler = (kind, timesteps, steps, spacing) -> {
    if (down) {
      throw new IllegalStateException("the scheduler is down");
    }
    asked.add(kind.wireName() + " " + timesteps + " " + steps);
    return NoiseSchedule.of(kind, timesteps).respace(steps, spacing);
  };

  @Test
  void aScheduleIsAskedForOnceAndServedWhileItsSourceIsDown() {
    CachedScheduleSource cache = new CachedScheduleSource(scheduler, 4);
    NoiseSchedule fetched = cache.schedule(ScheduleKind.COSINE, 100, 10);
    down = true;

    assertSame(fetched, cache.schedule(ScheduleKind.COSINE, 100, 10));
    assertEquals(List.of("cosine 100 10"), asked);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> cache.schedule(ScheduleKind.COSINE, 100, 20));
    assertEquals("the scheduler is down", e.getMessage());
  }

  @Test
  void onlyTheMostRecentlyUsedAreKept() {
    CachedScheduleSource cache = new CachedScheduleSource(scheduler, 2);
    NoiseSchedule a = cache.schedule(ScheduleKind.LINEAR, 100, 100);
    NoiseSchedule b = cache.schedule(ScheduleKind.LINEAR, 100, 50);
    assertSame(a, cache.schedule(ScheduleKind.LINEAR, 100, 100));
    cache.schedule(ScheduleKind.LINEAR, 100, 25);

    assertEquals(2, cache.size());
    assertSame(a, cache.schedule(ScheduleKind.LINEAR, 100, 100));
    assertEquals(b.steps(), cache.schedule(ScheduleKind.LINEAR, 100, 50).steps());
    assertEquals(List.of("linear 100 100", "linear 100 50", "linear 100 25", "linear 100 50"), asked);
  }

  @Test
  void aFailedFetchKeepsNothing() {
    CachedScheduleSource cache = new CachedScheduleSource(scheduler, 2);
    down = true;
    assertThrows(IllegalStateException.class, () -> cache.schedule(ScheduleKind.LINEAR, 100, 10));
    assertEquals(0, cache.size());
    assertThrows(IllegalArgumentException.class, () -> new CachedScheduleSource(scheduler, 0));
  }
}
