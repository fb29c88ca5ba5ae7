package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SamplingChoiceTest {
  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void aSamplerIsFoundByItsCommandLineNameAndByItsWireName(SamplerKind row) {
    assertSame(row, SamplingChoice.parse(SamplerKind.class, row.cliName(), "--sampler"));
    assertSame(row, SamplingChoice.parse(SamplerKind.class, row.name(), "--sampler"));
  }

  @ParameterizedTest
  @EnumSource(VarianceKind.class)
  void aVarianceIsFoundByItsName(VarianceKind row) {
    assertSame(row, SamplingChoice.parse(VarianceKind.class, row.cliName(), "--variance"));
  }

  @Test
  void anUnknownNameIsRefusedNamingTheFieldAndListingEveryRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SamplingChoice.parse(SamplerKind.class, "lms", "--sampler"));
    assertEquals("--sampler must be ancestral, ddim, dpm-solver++, euler, heun or euler-a, got \"lms\"",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SamplingChoice.parse(VarianceKind.class, "fixed_large", "--variance"));
    assertEquals("--variance must be FIXED_LARGE or FIXED_SMALL, got \"fixed_large\"", e.getMessage());
  }

  @Test
  void namesAreUniqueAcrossTheCommandLineAndTheWire() {
    Set<String> names = Arrays.stream(SamplerKind.values())
        .flatMap(row -> Set.of(row.cliName(), row.name()).stream()).collect(Collectors.toSet());
    long distinct = Arrays.stream(SamplerKind.values())
        .mapToLong(row -> row.cliName().equals(row.name()) ? 1 : 2).sum();
    assertEquals(distinct, names.size(), names::toString);
  }

  /** Every row builds its own step, a new one for every run, so a multistep rule never carries one run into the next. */
  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void everyRowMakesANewStepForEveryRun(SamplerKind row) {
    NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, 100).respace(10);
    SamplerSettings settings = new SamplerSettings(row, VarianceKind.DEFAULT, 0, false);
    ReverseStep first = row.newStep(schedule, settings);
    assertNotSame(first, row.newStep(schedule, settings));
  }

  @Test
  void aListReadsAsProse() {
    assertEquals("FIXED_LARGE", SamplingChoice.list(new VarianceKind[] {VarianceKind.FIXED_LARGE}, VarianceKind::name));
    assertEquals("ANCESTRAL, DDIM, DPM_SOLVER_PP_2M, EULER, HEUN or EULER_ANCESTRAL",
        SamplingChoice.list(SamplerKind.values(), SamplerKind::name));
  }
}
