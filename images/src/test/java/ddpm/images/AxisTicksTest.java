package ddpm.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTicksTest {
  @Test
  void linearTicksAreRoundStepsInsideTheRange() {
    assertEquals(List.of(1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0), AxisTicks.linear(4, 6500, 5));
    assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), AxisTicks.linear(0, 1, 5));
    assertEquals(List.of(-10.0, -5.0, 0.0, 5.0, 10.0), AxisTicks.linear(-12, 12, 5));
  }

  @Test
  void logTicksAreOneTwoAndFiveTimesPowersOfTen() {
    assertEquals(List.of(0.02, 0.05, 0.1, 0.2, 0.5, 1.0), AxisTicks.log(Math.log10(0.0184), 0, 5));
  }

  @Test
  void aWideLogRangeKeepsOnlyThePowersOfTen() {
    assertEquals(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0), AxisTicks.log(-4, 0, 5));
  }

  @Test
  void aNarrowLogRangeFallsBackToLinearRoundValues() {
    assertEquals(List.of(0.025, 0.03, 0.035), AxisTicks.log(Math.log10(0.022), Math.log10(0.038), 5));
  }

  @Test
  void labelsAreWrittenWithoutTrailingZeros() {
    assertEquals("6000", AxisTicks.label(6000));
    assertEquals("0.02", AxisTicks.label(0.02));
    assertEquals("0.3", AxisTicks.label(0.1 + 0.2));
    assertEquals("0", AxisTicks.label(0));
    assertEquals("1.00e-05", AxisTicks.label(1e-5));
  }
}
