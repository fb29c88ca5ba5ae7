package ddpm.trainer.graph;

import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.training.LossWeighting;
import ddpm.layers.SessionThreads;
import ddpm.tensorflow.Precision;
import ddpm.trainer.core.BatchSampler;
import ddpm.trainer.core.BatchSampler.Batch;
import ddpm.trainer.data.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (its name matches none of surefire's test patterns, so no build runs it): the default
 * U-Net's training images/s on MNIST in fp32 and bf16, in the trainer's session threads, then the losses of both
 * trained from the same seed. trainer-service/README.md (Throughput) gives the command and its figures. One
 * session per precision, measured in alternating rounds so that the machine's other load falls on both alike.
 * Needs data/mnist and a CPU with bf16 units. Properties: batches (64,128), rounds (5), steps per round (10),
 * lossSteps (300, at batch 64, learning rate 2e-4 after a 100-step warm-up).
 */
class TrainingThroughputBench {
  private static final int WARM_UP_STEPS = 3;
  private static final double LEARNING_RATE = 2e-4;

  private final Dataset mnist =
      Dataset.of(new Datasets(Path.of("..", "data")).source("mnist").load(Split.TRAIN), false);
  private final ImageShape image = mnist.shape();
  private final EpsNetConfig unet = EpsNetConfig.defaults().forImage(image);
  private final NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private final BatchSampler sampler = new BatchSampler(mnist, 1000, 0);

  @Test
  void fp32AgainstBf16() {
    int rounds = Integer.getInteger("rounds", 5);
    int steps = Integer.getInteger("steps", 10);
    for (String batchText : System.getProperty("batches", "64,128").split(",")) {
      int batch = Integer.parseInt(batchText.strip());
      Map<Precision, TrainingGraph> graphs = open();
      Map<Precision, double[]> rates = new EnumMap<>(Precision.class);
      try {
        graphs.forEach((precision, graph) -> {
          rates.put(precision, new double[rounds]);
          for (int step = 1; step <= WARM_UP_STEPS; step++) {
            step(graph, step, batch);
          }
        });
        for (int round = 0; round < rounds; round++) {
          int first = WARM_UP_STEPS + 1 + round * steps;
          for (Precision precision : Precision.values()) {
            long start = System.nanoTime();
            for (int step = first; step < first + steps; step++) {
              step(graphs.get(precision), step, batch);
            }
            rates.get(precision)[round] = (double) steps * batch / ((System.nanoTime() - start) / 1e9);
          }
          System.out.printf("batch %d round %d: fp32 %.1f, bf16 %.1f images/s%n", batch, round + 1,
              rates.get(Precision.FP32)[round], rates.get(Precision.BF16)[round]);
        }
      } finally {
        graphs.values().forEach(TrainingGraph::close);
      }
      double fp32 = median(rates.get(Precision.FP32));
      double bf16 = median(rates.get(Precision.BF16));
      System.out.printf("batch %d median of %d rounds: fp32 %.1f, bf16 %.1f images/s, bf16/fp32 %.2f%n", batch, rounds,
          fp32, bf16, bf16 / fp32);
    }
    int lossSteps = Integer.getInteger("lossSteps", 300);
    Map<Precision, TrainingGraph> graphs = open();
    try {
      for (int step = 1; step <= lossSteps; step++) {
        double rate = LEARNING_RATE * Math.min(1.0, step / 100.0);
        Batch b = sampler.batch(step, 64);
        float fp32 = graphs.get(Precision.FP32).trainStep(b.x0(), b.t(), b.eps(), null, step, rate);
        float bf16 = graphs.get(Precision.BF16).trainStep(b.x0(), b.t(), b.eps(), null, step, rate);
        if (step == 1 || step % 50 == 0) {
          System.out.printf("loss of step %d: fp32 %.6f, bf16 %.6f%n", step, fp32, bf16);
        }
      }
    } finally {
      graphs.values().forEach(TrainingGraph::close);
    }
  }

  private Map<Precision, TrainingGraph> open() {
    Map<Precision, TrainingGraph> graphs = new EnumMap<>(Precision.class);
    for (Precision precision : Precision.values()) {
      graphs.put(precision, new TrainingGraph(image, unet, schedule,
          new TrainingSession.Optimization(LossWeighting.UNIFORM, 1.0, 0.999), 0, SessionThreads.TRAINING, precision));
    }
    return graphs;
  }

  private void step(TrainingGraph graph, int step, int batch) {
    Batch b = sampler.batch(step, batch);
    graph.trainStep(b.x0(), b.t(), b.eps(), null, step, LEARNING_RATE);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
