package ddpm.grpc.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.Schedule;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class ScheduleMessagesTest {
  @Test
  void aScheduleSurvivesTheRoundTripExactly() {
    NoiseSchedule original = NoiseSchedule.of(ScheduleKind.COSINE, 1000).respace(40);
    Schedule message = ScheduleMessages.toProto(original);
    NoiseSchedule back = ScheduleMessages.fromProto(message);
    assertEquals("cosine", message.getKind());
    assertEquals(1000, message.getTimesteps());
    assertEquals(40, message.getSteps());
    assertEquals(ScheduleKind.COSINE, back.kind());
    assertEquals(1000, back.timesteps());
    assertArrayEquals(original.timestepIndices(), back.timestepIndices());
    assertArrayEquals(original.betas(), back.betas());
    assertArrayEquals(original.sqrtOneMinusAlphasCumprod(), back.sqrtOneMinusAlphasCumprod());
    assertArrayEquals(original.posteriorVariance(), back.posteriorVariance());
  }

  @Test
  void aMessageWhoseArraysDisagreeWithItsStepsIsRefused() {
    Schedule message = ScheduleMessages.toProto(NoiseSchedule.of(ScheduleKind.LINEAR, 10))
        .toBuilder().setSteps(9).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScheduleMessages.fromProto(message));
    assertTrue(e.getMessage().startsWith("steps"), e.getMessage());
  }

  @Test
  void anUnknownKindIsRefusedNamingTheField() {
    Schedule message = ScheduleMessages.toProto(NoiseSchedule.of(ScheduleKind.LINEAR, 10))
        .toBuilder().setKind("sigmoid").build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ScheduleMessages.fromProto(message));
    assertTrue(e.getMessage().startsWith("kind"), e.getMessage());
  }
}
