package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each check refuses exactly the values outside its range, with a message that names the setting. */
class ConfigChecksTest {
  @Test
  void aPositiveDurationRefusesZeroNegativeAndMissing() {
    assertEquals("call_timeout: must be > 0, got PT0S",
        refusal(() -> ConfigChecks.requirePositive(Duration.ZERO, "call_timeout")));
    assertEquals("call_timeout: must be > 0, got PT-1S",
        refusal(() -> ConfigChecks.requirePositive(Duration.ofSeconds(-1), "call_timeout")));
    assertEquals("call_timeout: must be > 0, got null",
        refusal(() -> ConfigChecks.requirePositive(null, "call_timeout")));
    assertDoesNotThrow(() -> ConfigChecks.requirePositive(Duration.ofNanos(1), "call_timeout"));
  }

  @Test
  void aNonNegativeDurationTakesZeroButRefusesNegativeAndMissing() {
    assertDoesNotThrow(() -> ConfigChecks.requireNonNegative(Duration.ZERO, "grace"));
    assertEquals("grace: must be ≥ 0, got PT-0.001S",
        refusal(() -> ConfigChecks.requireNonNegative(Duration.ofMillis(-1), "grace")));
    assertEquals("grace: must be ≥ 0, got null", refusal(() -> ConfigChecks.requireNonNegative(null, "grace")));
  }

  @Test
  void textMustBeSetAndNotBlank() {
    assertEquals("target: must be set", refusal(() -> ConfigChecks.requireText(null, "target")));
    assertEquals("target: must be set", refusal(() -> ConfigChecks.requireText(" \t", "target")));
    assertDoesNotThrow(() -> ConfigChecks.requireText("localhost:50051", "target"));
    assertEquals("work_dir: must be set", refusal(() -> ConfigChecks.requireSet(null, "work_dir")));
    assertDoesNotThrow(() -> ConfigChecks.requireSet(new Object(), "work_dir"));
  }

  private static String refusal(Executable check) {
    return assertThrows(IllegalArgumentException.class, check).getMessage();
  }
}
