package ddpm.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SoakMinutesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void requestsCountInTheMinuteTheyEndedAndTheLastMinuteTakesTheTail() {
    SoakMinutes record = new SoakMinutes(1_000 * SECOND, 2);
    for (int k = 1; k <= 100; k++) {
      record.add(1_000 * SECOND + 30 * SECOND, k * SECOND / 100, Status.Code.OK);
    }
    record.add(1_000 * SECOND + 90 * SECOND, 2 * SECOND, Status.Code.RESOURCE_EXHAUSTED);
    record.add(1_000 * SECOND + 125 * SECOND, 3 * SECOND, Status.Code.OK);

    assertEquals("     1       100        1.67    0.500    0.990  0", record.minute(1));
    assertEquals("     2         2        0.03    2.000    3.000  {RESOURCE_EXHAUSTED=1}", record.minute(2));
    assertEquals("   all       102        0.85    0.510    2.000  {RESOURCE_EXHAUSTED=1}", record.total());
    assertEquals(1, record.failures());
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, SoakMinutes.percentile(sorted, 0.5));
    assertEquals(10, SoakMinutes.percentile(sorted, 0.99));
    assertEquals(1, SoakMinutes.percentile(new long[] {1}, 0.99));
    assertEquals(0, SoakMinutes.percentile(new long[0], 0.5));
  }
}
