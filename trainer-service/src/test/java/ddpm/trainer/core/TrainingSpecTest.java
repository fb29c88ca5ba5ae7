package ddpm.trainer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.trainer.graph.Architecture;
import ddpm.trainer.graph.EpsNetConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainingSpecTest {
  private static TrainingSpec spec(double learningRate, int warmupSteps) {
    return new TrainingSpec("digits", "m", null, 100, 8, learningRate, 0, ScheduleKind.LINEAR, 0, 0, 0,
        warmupSteps, 0, false, "", 0);
  }

  @Test
  void theLearningRateRisesLinearlyOverTheWarmUpThenStays() {
    TrainingSpec spec = spec(1e-3, 100);
    assertEquals(1e-5, spec.learningRateAt(1), 1e-15);
    assertEquals(5e-4, spec.learningRateAt(50), 1e-15);
    assertEquals(1e-3, spec.learningRateAt(100), 1e-15);
    assertEquals(1e-3, spec.learningRateAt(5000), 1e-15);
  }

  @Test
  void withoutWarmUpEveryStepHasTheFullRate() {
    TrainingSpec spec = spec(2e-4, 0);
    assertEquals(2e-4, spec.learningRateAt(1));
    assertEquals(2e-4, spec.learningRateAt(77));
  }

  @Test
  void zeroValuesMeanTheDocumentedDefaults() {
    TrainingSpec spec = spec(1e-3, 0);
    assertEquals(TrainingSpec.DEFAULT_EMA_DECAY, spec.emaDecay());
    assertEquals(TrainingSpec.DEFAULT_GRAD_CLIP_NORM, spec.gradClipNorm());
    assertEquals(TrainingSpec.DEFAULT_TIMESTEPS, spec.timesteps());
    EpsNetConfig network = spec.network();
    assertEquals(Architecture.UNET, network.architecture());
    assertEquals(32, network.baseChannels());
    assertEquals(List.of(1, 2, 2), network.channelMult());
    assertEquals(1, network.numResBlocks());
    assertEquals(0.1, network.dropout());
  }

  @Test
  void theWarmUpCannotBeNegative() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(1e-3, -1));
    assertTrue(e.getMessage().startsWith("warmup_steps"), e.getMessage());
  }

  @Test
  void aStartingVersionNeedsAValidModelName() {
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> startingFrom("-x", 1));
    assertTrue(name.getMessage().startsWith("init_from_model"), name.getMessage());
    IllegalArgumentException orphan = assertThrows(IllegalArgumentException.class, () -> startingFrom("", 2));
    assertTrue(orphan.getMessage().startsWith("init_from_version"), orphan.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> startingFrom("m", -1));
    assertTrue(negative.getMessage().startsWith("init_from_version"), negative.getMessage());
    assertTrue(startingFrom("mnist", 0).startsFromPublished());
    assertFalse(startingFrom(null, 0).startsFromPublished());
  }

  @Test
  void labelDropoutDefaultsForAClassConditionalRunAndIsRefusedWithoutOne() {
    assertEquals(TrainingSpec.DEFAULT_LABEL_DROPOUT, classConditional(true, null, null).labelDropout());
    assertEquals(0.0, classConditional(true, 0.0, null).labelDropout());
    assertRefused("label_dropout", () -> classConditional(false, 0.1, null));
    for (double p : new double[] {1.0, -0.1, Double.NaN}) {
      assertRefused("label_dropout", () -> classConditional(true, p, null));
    }
  }

  @Test
  void onlyAClassConditionalRunHasClasses() {
    assertEquals(10, classConditional(true, null, 10).network().nullLabel());
    assertRefused("network.num_classes", () -> classConditional(false, null, 10));
    assertRefused("network.num_classes", () -> classConditional(true, null, 0));
  }

  @Test
  void p2WeightingTakesKOneUnlessGivenAndAKOnlyWithAGamma() {
    assertEquals(LossWeighting.UNIFORM, weighted(0, null).lossWeighting());
    assertEquals(new LossWeighting(1, 1), weighted(1, null).lossWeighting());
    assertEquals(new LossWeighting(0.5, 4), weighted(0.5, 4.0).lossWeighting());
    assertRefused("p2_k", () -> weighted(0, 1.0));
    assertRefused("p2_k", () -> weighted(1, 0.0));
    for (double gamma : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertRefused("p2_gamma", () -> weighted(gamma, null));
    }
  }

  /** Only a P2 run records p2_gamma in run.json and model.json: an L_simple one records what runs did before it. */
  @Test
  void theRecordedSpecNamesP2OnlyWhenARunUsesIt() {
    assertFalse(SpecJson.spec(weighted(0, null)).has("p2_gamma"));
    assertFalse(SpecJson.spec(weighted(0, null)).has("p2_k"));
    assertEquals(1.0, SpecJson.spec(weighted(1, null)).get("p2_gamma").getAsDouble());
    assertEquals(3.0, SpecJson.spec(weighted(1, 3.0)).get("p2_k").getAsDouble());
    assertEquals(weighted(0.5, 2.0), SpecJson.fromRequest(SpecJson.request(weighted(0.5, 2.0))));
  }

  private static TrainingSpec weighted(double p2Gamma, Double p2K) {
    return new TrainingSpec("digits", "m", null, 100, 8, 1e-3, 0, ScheduleKind.LINEAR, 0, 0, 0, 0, 0, false,
        "", 0, false, null, p2Gamma, p2K);
  }

  private static void assertRefused(String field, Executable building) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, building);
    assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
  }

  private static TrainingSpec classConditional(boolean classCond, Double labelDropout, Integer numClasses) {
    EpsNetConfig network = new EpsNetConfig(Architecture.CONV, 8, null, null, null, 0.0, numClasses);
    return new TrainingSpec("digits", "m", network, 100, 8, 1e-3, 0, ScheduleKind.LINEAR, 0, 0, 0, 0, 0, false,
        "", 0, classCond, labelDropout, 0, null);
  }

  private static TrainingSpec startingFrom(String model, long version) {
    return new TrainingSpec("digits", "m", null, 100, 8, 1e-3, 0, ScheduleKind.LINEAR, 0, 0, 0, 0, 0, false,
        model, version);
  }
}
