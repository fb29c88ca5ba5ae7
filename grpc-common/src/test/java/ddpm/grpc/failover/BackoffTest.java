package ddpm.grpc.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), 0.2);

  @Test
  void doublesFromTheInitialWaitUpToTheCap() {
    assertEquals(Duration.ofMillis(100), backoff.delay(1, () -> 0.5));
    assertEquals(Duration.ofMillis(200), backoff.delay(2, () -> 0.5));
    assertEquals(Duration.ofMillis(800), backoff.delay(4, () -> 0.5));
    assertEquals(Duration.ofSeconds(1), backoff.delay(5, () -> 0.5));
    assertEquals(Duration.ofSeconds(1), backoff.delay(1000, () -> 0.5));
  }

  @Test
  void jitterSpreadsEachWaitOverPlusOrMinusItsFraction() {
    assertEquals(Duration.ofMillis(80), backoff.delay(1, () -> 0));
    assertEquals(Duration.ofMillis(1200), backoff.delay(9, () -> 1));
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofMillis(1), 2, Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> backoff.delay(0, () -> 0.5));
  }
}
