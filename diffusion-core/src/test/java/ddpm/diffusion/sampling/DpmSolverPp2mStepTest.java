package ddpm.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class DpmSolverPp2mStepTest {
  private static final NoiseSchedule LINEAR_10 = NoiseSchedule.of(ScheduleKind.LINEAR, 1000).respace(10);
  private static final int LAST = LINEAR_10.steps() - 1;

  @Test
  void theFirstStepIsDdimWithEtaZero() {
    float[] x = {1.2f, -0.4f};
    float[] eps = {0.9f, -1.1f};
    float[] solver = new DpmSolverPp2mStep(LINEAR_10, false).apply(x, eps, LAST, null);
    float[] ddim = new DdimStep(LINEAR_10, 0, false).apply(x, eps, LAST, null);
    assertArrayEquals(ddim, solver, 1e-6f);
  }

  @Test
  void theSecondStepExtrapolatesThePredictedCleanImagesInLambda() {
    double[] abar = LINEAR_10.alphasCumprod();
    int k = LAST - 1;
    DpmSolverPp2mStep step = new DpmSolverPp2mStep(LINEAR_10, false);
    float[] first = step.apply(new float[] {0.5f}, new float[] {0.8f}, LAST, null);
    double previousX0Hat = (0.5 - Math.sqrt(1 - abar[LAST]) * 0.8) / Math.sqrt(abar[LAST]);
    double x = first[0];
    double eps = -0.3;
    double x0Hat = (x - Math.sqrt(1 - abar[k]) * eps) / Math.sqrt(abar[k]);
    double h = lambda(abar[k - 1]) - lambda(abar[k]);
    double hPrevious = lambda(abar[k]) - lambda(abar[k + 1]);
    double r = hPrevious / h;
    double d = (1 + 1 / (2 * r)) * x0Hat - 1 / (2 * r) * previousX0Hat;
    double expected = Math.sqrt(1 - abar[k - 1]) / Math.sqrt(1 - abar[k]) * x
        - Math.sqrt(abar[k - 1]) * (Math.exp(-h) - 1) * d;

    float[] second = step.apply(first, new float[] {(float) eps}, k, null);

    assertEquals(expected, second[0], 1e-6);
  }

  @Test
  void theLastStepReturnsThePredictedCleanImage() {
    DpmSolverPp2mStep step = new DpmSolverPp2mStep(LINEAR_10, false);
    float[] x = {0.7f};
    for (int k = LAST; k > 0; k--) {
      x = step.apply(x, x.clone(), k, null);
    }
    double abar = LINEAR_10.alphasCumprod()[0];
    double x0Hat = (x[0] - Math.sqrt(1 - abar) * -0.5) / Math.sqrt(abar);
    assertEquals(x0Hat, step.apply(x, new float[] {-0.5f}, 0, null)[0], 1e-6);
  }

  @Test
  void itNeverAddsNoiseAndClipsThePredictedCleanImage() {
    DpmSolverPp2mStep step = new DpmSolverPp2mStep(LINEAR_10, true);
    for (int k = 0; k <= LAST; k++) {
      assertFalse(step.addsNoise(k));
    }
    assertEquals(-1, step.apply(new float[] {-1.5f}, new float[] {0}, 0, null)[0], 1e-6);
  }

  private static double lambda(double abar) {
    return Math.log(Math.sqrt(abar) / Math.sqrt(1 - abar));
  }
}
