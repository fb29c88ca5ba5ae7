package ddpm.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleKindTest {
  @ParameterizedTest
  @EnumSource(ScheduleKind.class)
  void parsesItsOwnWireName(ScheduleKind kind) {
    assertEquals(kind, ScheduleKind.parse(kind.wireName(), "kind"));
  }

  @Test
  void wireNamesAreLowercase() {
    assertEquals("linear", ScheduleKind.LINEAR.wireName());
    assertEquals("cosine", ScheduleKind.COSINE.wireName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Linear", "COSINE", "quadratic"})
  void unknownNamesAreRefusedNamingTheFieldAndTheAllowedValues(String name) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScheduleKind.parse(name, "schedule"));
    assertTrue(e.getMessage().startsWith("schedule"), e.getMessage());
    assertTrue(e.getMessage().contains("\"linear\"") && e.getMessage().contains("\"cosine\""), e.getMessage());
  }

  @Test
  void nullIsRefusedLikeAnUnknownName() {
    assertThrows(IllegalArgumentException.class, () -> ScheduleKind.parse(null, "kind"));
  }
}
