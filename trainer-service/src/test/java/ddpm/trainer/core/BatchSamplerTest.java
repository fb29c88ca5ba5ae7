package ddpm.trainer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ddpm.diffusion.ImageShape;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The labels of a class-conditional sampler: each image's own, or the null label with probability p. */
class BatchSamplerTest {
  private static final int T = 1000;
  private static final int CLASSES = 5;
  private static final int COUNT = 100;

  /** One-pixel images whose value tells which image it is: image i is i / COUNT, of class i mod CLASSES. */
  private static Dataset toy() {
    float[] images = new float[COUNT];
    int[] labels = new int[COUNT];
    for (int i = 0; i < COUNT; i++) {
      images[i] = (float) i / COUNT;
      labels[i] = i % CLASSES;
    }
    return new Dataset("toy", new ImageShape(1, 1, 1), images, labels);
  }

  private static BatchSampler sampler(long seed, double labelDropout) {
    return BatchSampler.classConditional(toy(), T, seed, CLASSES, labelDropout);
  }

  private static int classOf(float image) {
    return Math.round(image * COUNT) % CLASSES;
  }

  @Test
  void withoutDropoutEveryImageKeepsItsOwnLabel() {
    BatchSampler sampler = sampler(3, 0);
    for (int step = 1; step <= 5; step++) {
      Batch batch = sampler.batch(step, 64);
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(classOf(batch.x0()[i]), batch.y()[i], "image " + i + " of step " + step);
      }
    }
  }

  @Test
  void theNullLabelsShareIsNearPAndTheOthersAreTheImagesOwn() {
    double p = 0.25;
    BatchSampler sampler = sampler(8, p);
    int nulls = 0;
    int draws = 0;
    for (int step = 1; step <= 200; step++) {
      Batch batch = sampler.batch(step, 100);
      for (int i = 0; i < batch.size(); i++) {
        if (batch.y()[i] == CLASSES) {
          nulls++;
        } else {
          assertEquals(classOf(batch.x0()[i]), batch.y()[i], "image " + i + " of step " + step);
        }
        draws++;
      }
    }
    // 20,000 draws: the share's standard deviation is √(p(1 − p)/20,000) ≈ 0.003; five of them.
    assertEquals(p, (double) nulls / draws, 0.015);
  }

  /** A resumed run draws what an uninterrupted one did: the labels too are a function of (seed, step). */
  @Test
  void theLabelsOfAStepDependOnlyOnTheSeedAndTheStep() {
    BatchSampler straight = sampler(5, 0.5);
    for (int step = 1; step <= 6; step++) {
      straight.batch(step, 32);
    }
    int[] seventh = straight.batch(7, 32).y();
    assertArrayEquals(seventh, sampler(5, 0.5).batch(7, 32).y());
    assertFalse(Arrays.equals(seventh, sampler(6, 0.5).batch(7, 32).y()), "another seed draws other labels");
  }

  /** The labels have a stream of their own: an unconditional run of the same seed draws what it always drew. */
  @Test
  void labelsLeaveTheImagesTimestepsAndNoiseAsAnUnconditionalSamplerDrawsThem() {
    Batch conditional = sampler(4, 0.1).batch(3, 40);
    Batch unconditional = new BatchSampler(toy(), T, 4).batch(3, 40);
    assertArrayEquals(unconditional.x0(), conditional.x0());
    assertArrayEquals(unconditional.t(), conditional.t());
    assertArrayEquals(unconditional.eps(), conditional.eps());
    assertNull(unconditional.y(), "an unconditional sampler gives no labels, even from a labelled data set");
  }
}
