package ddpm.evaluation.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestedClassScoresTest {
  /** Predicted classes 0, 2, 2, 1. */
  private static final Probabilities FOUR_IMAGES = new Probabilities(new float[] {
      0.5f, 0.25f, 0.25f,
      0.125f, 0.25f, 0.625f,
      0.25f, 0.25f, 0.5f,
      0.25f, 0.5f, 0.25f}, 3);

  @Test
  void countsSamplesPredictedAsTheirRequestedClassOverallAndPerClass() {
    RequestedClassScores scores = RequestedClassScores.of(FOUR_IMAGES, new int[] {0, 2, 0, 1});
    assertEquals(0.75, scores.accuracy().overall());
    assertEquals(List.of(0, 1, 2), List.copyOf(scores.accuracy().perClass().keySet()));
    assertEquals(0.5, scores.accuracy().perClass().get(0));
    assertEquals(1.0, scores.accuracy().perClass().get(1));
    assertEquals(1.0, scores.accuracy().perClass().get(2));
  }

  @Test
  void listsEachMissWithTheClassItWasSeenAsInSampleOrder() {
    RequestedClassScores scores = RequestedClassScores.of(FOUR_IMAGES, new int[] {1, 2, 0, 0});
    assertEquals(List.of(new RequestedClassScores.Miss(0, 1, 0, 0.5), new RequestedClassScores.Miss(2, 0, 2, 0.5),
        new RequestedClassScores.Miss(3, 0, 1, 0.5)), scores.misses());
    assertEquals(List.of(), RequestedClassScores.of(FOUR_IMAGES, new int[] {0, 2, 2, 1}).misses());
  }

  @Test
  void confidenceAveragesTheProbabilityOfTheRequestedClassNotOfThePredictedOne() {
    RequestedClassScores scores = RequestedClassScores.of(FOUR_IMAGES, new int[] {0, 2, 0, 1});
    assertEquals((0.5 + 0.625 + 0.25 + 0.5) / 4, scores.confidence().overall());
    assertEquals((0.5 + 0.25) / 2, scores.confidence().perClass().get(0));
    assertEquals(0.625, scores.confidence().perClass().get(2));
  }

  @Test
  void classesNeverRequestedAreLeftOutRatherThanScoredZero() {
    RequestedClassScores scores = RequestedClassScores.of(FOUR_IMAGES, new int[] {1, 1, 1, 1});
    assertEquals(List.of(1), List.copyOf(scores.accuracy().perClass().keySet()));
    assertEquals(0.25, scores.accuracy().overall());
  }

  @Test
  void refusesALabelOutsideTheClassifiersClassesOrAWrongCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RequestedClassScores.of(FOUR_IMAGES, new int[] {0, 1, 3, 0}));
    assertTrue(e.getMessage().contains("sample 2") && e.getMessage().contains("class 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RequestedClassScores.of(FOUR_IMAGES, new int[] {0, 1}));
  }
}
