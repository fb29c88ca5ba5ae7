package ddpm.diffusion.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LikelihoodEvaluationTest {
  private static final ImageShape SHAPE = new ImageShape(3, 2, 1);
  private static final byte[] PIXELS = {0, 40, (byte) 128, (byte) 200, (byte) 255, 7, 90, 90, 3, (byte) 250, 60,
      (byte) 130, 0, 0, (byte) 255, 11, 22, 33};
  private static final NoiseSchedule FULL = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
  private static final List<VarianceKind> BOTH = List.of(VarianceKind.FIXED_LARGE, VarianceKind.FIXED_SMALL);
  private static final StepListener QUIET = (step, total, timestep) -> { };

  /**
   * Data that is always one image, with its exact ε: x0_hat = x_0, so p_θ's mean is q's and each KL term is the
   * KL between two Gaussians of one mean: 0 for σ² = β̃, and ½(log(β/β̃) + β̃/β − 1) per value for σ² = β; the
   * decoder is the bin of each pixel value about its own centre. Within 1e-6 bits/dim (the float32 ε).
   */
  @Test
  void aPointMassHasItsClosedFormTerms() {
    byte[] image = Arrays.copyOf(PIXELS, SHAPE.size());
    EpsModel eps = ExactEps.pointMass(FULL, Pixels.toModel(image));

    ImageLikelihood result = new LikelihoodEvaluation(new VariationalBound(FULL, BOTH), 7)
        .evaluate(eps, SHAPE, image, 5, 0, QUIET, () -> false).get(0);

    int d = SHAPE.size();
    double bits = 1 / Math.log(2);
    double[] beta = FULL.betas();
    double[] posterior = FULL.posteriorVariance();
    double abarLast = FULL.alphasCumprod()[99];
    double prior = 0;
    double decoder = 0;
    double sigma = Math.sqrt(posterior[1]);
    for (byte p : image) {
      double x = (p & 0xFF) / 127.5 - 1;
      prior += 0.5 * (-Math.log(1 - abarLast) + (1 - abarLast) + abarLast * x * x - 1);
      double below = (p & 0xFF) == 0 ? 0 : NormalCdf.cdf(-1 / 255.0 / sigma);
      double above = (p & 0xFF) == 255 ? 0 : NormalCdf.cdf(-1 / 255.0 / sigma);
      decoder -= Math.log(1 - below - above);
    }
    ImageBound large = result.bounds().get(0);
    ImageBound small = result.bounds().get(1);
    assertEquals(VarianceKind.FIXED_LARGE, large.variance());
    assertEquals(prior * bits / d, large.prior(), 1e-12);
    assertEquals(decoder * bits / d, large.decoder(), 1e-6);
    assertEquals(large.decoder(), small.decoder());
    for (int i = 1; i < 100; i++) {
      double klLarge = 0.5 * (Math.log(beta[i] / posterior[i]) + posterior[i] / beta[i] - 1) * bits;
      assertEquals(klLarge, large.terms()[i], 1e-6, "FIXED_LARGE term " + i);
      assertEquals(0, small.terms()[i], 1e-6, "FIXED_SMALL term " + i);
      assertEquals(0, result.x0Mse()[i], 1e-6, "x0 MSE " + i);
    }
    assertEquals(large.prior() + large.decoder() + large.klSum(), large.total(), 1e-12);
  }

  /** Each image's terms depend on its own stream alone: the same with any call size and any other images. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 1000})
  void theResultDoesNotDependOnTheCallSize(int imagesPerCall) {
    float[] mean = new float[SHAPE.size()];
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.5f);
    EpsModel eps = ExactEps.gaussian(FULL, mean, std);
    VariationalBound bound = new VariationalBound(FULL, BOTH);
    List<ImageLikelihood> reference = new LikelihoodEvaluation(bound, 1000)
        .evaluate(eps, SHAPE, PIXELS, 11, 0, QUIET, () -> false);

    List<ImageLikelihood> got = new LikelihoodEvaluation(bound, imagesPerCall)
        .evaluate(eps, SHAPE, PIXELS, 11, 0, QUIET, () -> false);
    ImageLikelihood firstAlone = new LikelihoodEvaluation(bound, imagesPerCall)
        .evaluate(eps, SHAPE, Arrays.copyOf(PIXELS, SHAPE.size()), 11, 0, QUIET, () -> false).get(0);

    for (int i = 0; i < 3; i++) {
      for (int v = 0; v < 2; v++) {
        assertArrayEquals(reference.get(i).bounds().get(v).terms(), got.get(i).bounds().get(v).terms());
      }
      assertArrayEquals(reference.get(i).epsMse(), got.get(i).epsMse());
    }
    assertArrayEquals(reference.get(0).bounds().get(1).terms(), firstAlone.bounds().get(1).terms());
  }

  /** Image 1 of a request equals the same image alone at image offset 1: each position has its own stream. */
  @Test
  void anImageOffsetPicksTheStreamOfThatPosition() {
    EpsModel eps = ExactEps.pointMass(FULL, new float[SHAPE.size()]);
    LikelihoodEvaluation evaluation = new LikelihoodEvaluation(new VariationalBound(FULL, BOTH), 5);
    byte[] second = Arrays.copyOfRange(PIXELS, SHAPE.size(), 2 * SHAPE.size());

    ImageLikelihood inBatch = evaluation.evaluate(eps, SHAPE, PIXELS, 11, 0, QUIET, () -> false).get(1);
    ImageLikelihood alone = evaluation.evaluate(eps, SHAPE, second, 11, 1, QUIET, () -> false).get(0);
    ImageLikelihood atZero = evaluation.evaluate(eps, SHAPE, second, 11, 0, QUIET, () -> false).get(0);

    assertArrayEquals(inBatch.epsMse(), alone.epsMse());
    assertArrayEquals(inBatch.bounds().get(0).terms(), alone.bounds().get(0).terms());
    assertFalse(Arrays.equals(inBatch.epsMse(), atZero.epsMse()));
  }

  @Test
  void progressCountsTimestepsDoneForEveryImage() {
    List<Integer> done = new ArrayList<>();
    new LikelihoodEvaluation(new VariationalBound(FULL, List.of(VarianceKind.FIXED_SMALL)), 7).evaluate(
        ExactEps.pointMass(FULL, new float[SHAPE.size()]), SHAPE, PIXELS, 0, 0,
        (step, total, timestep) -> {
          assertEquals(100, total);
          assertEquals(100 - step, timestep);
          done.add(step);
        }, () -> false);

    // 300 pairs in calls of 7: timesteps complete at every third image.
    assertEquals(100, done.get(done.size() - 1));
    for (int k = 1; k < done.size(); k++) {
      assertEquals((int) Math.min(100, (7L * (k + 1)) / 3), done.get(k));
    }
  }

  @Test
  void aCancelledEvaluationStopsBeforeItsNextCall() {
    AtomicInteger calls = new AtomicInteger();
    EpsModel eps = (xt, t) -> {
      calls.incrementAndGet();
      return new float[xt.length];
    };

    assertThrows(CancellationException.class, () -> new LikelihoodEvaluation(
        new VariationalBound(FULL, BOTH), 4).evaluate(eps, SHAPE, PIXELS, 0, 0, QUIET, () -> calls.get() >= 2));
    assertEquals(2, calls.get());
  }

  @Test
  void badInputIsRefused() {
    VariationalBound bound = new VariationalBound(FULL, BOTH);
    assertThrows(IllegalArgumentException.class, () -> new LikelihoodEvaluation(bound, 4)
        .evaluate((xt, t) -> xt, SHAPE, new byte[5], 0, 0, QUIET, () -> false));
    assertThrows(IllegalArgumentException.class, () -> new LikelihoodEvaluation(bound, 4)
        .evaluate((xt, t) -> xt, SHAPE, PIXELS, 0, -1, QUIET, () -> false));
    assertThrows(IllegalArgumentException.class, () -> new VariationalBound(FULL, List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> new VariationalBound(FULL, List.of(VarianceKind.FIXED_SMALL, VarianceKind.FIXED_SMALL)));
    assertThrows(IllegalArgumentException.class, () -> new VariationalBound(FULL.respace(10), BOTH));
  }
}
