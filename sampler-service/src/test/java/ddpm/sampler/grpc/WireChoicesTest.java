package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ProtocolMessageEnum;
import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.Spacing;
import ddpm.diffusion.schedule.SpacingKind;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The proto's enums and diffusion-core's tables name the same rows, so the mapping by name is total both ways. */
class WireChoicesTest {
  @Test
  void everySamplerIsAWireValueAndEveryWireValueASampler() {
    assertSameRows(SamplerKind.values(), ddpm.api.v1.SamplerKind.values(), WireChoices::toWire,
        WireChoices::sampler, SamplerKind.DEFAULT);
  }

  @Test
  void everyVarianceIsAWireValueAndEveryWireValueAVariance() {
    assertSameRows(VarianceKind.values(), ddpm.api.v1.VarianceKind.values(), WireChoices::toWire,
        WireChoices::variance, VarianceKind.DEFAULT);
  }

  @Test
  void aValueThisBuildDoesNotKnowIsRefusedListingEveryRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireChoices.sampler(ddpm.api.v1.SamplerKind.UNRECOGNIZED, 99));
    assertEquals("sampler must be ANCESTRAL, DDIM, DPM_SOLVER_PP_2M, EULER, HEUN or EULER_ANCESTRAL, got value 99",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> WireChoices.variance(ddpm.api.v1.VarianceKind.UNRECOGNIZED, 7));
    assertEquals("variance must be FIXED_LARGE or FIXED_SMALL, got value 7", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> WireChoices.spacing(ddpm.api.v1.Spacing.UNRECOGNIZED, 9, 0));
    assertEquals("spacing must be EVEN, TRAILING or KARRAS, got value 9", e.getMessage());
  }

  @Test
  void everySpacingIsAWireValueAndEveryWireValueASpacingWithRhoZeroMeaningSeven() {
    assertSameRows(SpacingKind.values(), ddpm.api.v1.Spacing.values(), WireChoices::toWire,
        (wire, number) -> WireChoices.spacing(wire, number, 0).kind(), SpacingKind.EVEN);
    assertEquals(new Spacing(SpacingKind.KARRAS, 7), WireChoices.spacing(ddpm.api.v1.Spacing.KARRAS, 3, 0));
    assertEquals(new Spacing(SpacingKind.KARRAS, 2.5), WireChoices.spacing(ddpm.api.v1.Spacing.KARRAS, 3, 2.5));
  }

  /**
   * Each row goes out as a value other than UNSPECIFIED and comes back as itself; each wire value but protoc's
   * UNRECOGNIZED (any number this build does not know) comes in as the row of its name, UNSPECIFIED as the default.
   */
  private static <C extends Enum<C>, W extends Enum<W> & ProtocolMessageEnum> void assertSameRows(C[] rows,
      W[] wireValues, Function<C, W> toWire, BiFunction<W, Integer, C> fromWire, C fallback) {
    for (C row : rows) {
      W wire = toWire.apply(row);
      assertNotEquals(0, wire.getNumber(), row + " goes out as UNSPECIFIED");
      assertSame(row, fromWire.apply(wire, wire.getNumber()));
    }
    for (W wire : wireValues) {
      if (!wire.name().equals("UNRECOGNIZED")) {
        C row = fromWire.apply(wire, wire.getNumber());
        assertEquals(wire.getNumber() == 0 ? fallback.name() : wire.name(), row.name());
      }
    }
  }
}
