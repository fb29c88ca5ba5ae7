package ddpm.diffusion.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.sampling.VarianceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundSummaryTest {
  @Test
  void meansStandardErrorAndParts() {
    // Totals 1 + 0.5 + 0.25 + 0.25 = 2 and 3 + 1 + 1 + 1 = 6: mean 4, sample deviation √8, error √8/√2 = 2.
    List<ImageBound> bounds = List.of(
        new ImageBound(VarianceKind.FIXED_SMALL, 1, new double[] {0.5, 0.25, 0.25}),
        new ImageBound(VarianceKind.FIXED_SMALL, 3, new double[] {1, 1, 1}));

    BoundSummary summary = BoundSummary.of(bounds);

    assertEquals(2, summary.images());
    assertEquals(4, summary.bitsPerDim(), 1e-15);
    assertEquals(2, summary.standardError(), 1e-15);
    assertEquals(2, summary.prior(), 1e-15);
    assertEquals(0.75, summary.decoder(), 1e-15);
    assertEquals(1.25, summary.klSum(), 1e-15);
    assertArrayEquals(new double[] {0.75, 0.625, 0.625}, summary.terms(), 1e-15);
  }

  @Test
  void oneImageHasNoStandardError() {
    assertTrue(Double.isNaN(BoundSummary.of(
        List.of(new ImageBound(VarianceKind.FIXED_LARGE, 1, new double[] {1}))).standardError()));
  }

  @Test
  void boundsUnderDifferentVariancesDoNotMix() {
    assertThrows(IllegalArgumentException.class, () -> BoundSummary.of(List.of(
        new ImageBound(VarianceKind.FIXED_LARGE, 1, new double[] {1}),
        new ImageBound(VarianceKind.FIXED_SMALL, 1, new double[] {1}))));
    assertThrows(IllegalArgumentException.class, () -> BoundSummary.of(List.of()));
  }
}
