package ddpm.evaluation.train;

import ddpm.diffusion.Pixels;
import ddpm.evaluation.data.LabelledSplit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Minibatch Adam over shuffled MNIST-train, epoch after epoch, with the learning rate on a cosine from
 * its peak down to zero: the small late steps settle the weights, worth a few tenths of a percent of
 * test accuracy over a constant rate. The caller exports the result.
 */
final class ClassifierTrainer {
  /** Told the mean loss of each finished epoch. */
  interface EpochListener {
    void epochDone(int epoch, double meanLoss);
  }

  private ClassifierTrainer() {}

  /** Trains on {@code train} and leaves the weights in a checkpoint at {@code checkpointPrefix}. */
  static void train(LabelledSplit train, TrainingSettings settings, Path checkpointPrefix, EpochListener listener) {
    int n = train.images().count();
    int size = train.images().imageSize();
    float[] x = Pixels.toModel(train.images().pixels());
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    SplittableRandom random = new SplittableRandom(settings.seed());
    try (ClassifierTrainingGraph graph = new ClassifierTrainingGraph(settings.seed())) {
      int stepsPerEpoch = n / settings.batchSize();
      int totalSteps = stepsPerEpoch * settings.epochs();
      int step = 0;
      for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
        shuffle(order, random);
        double lossSum = 0;
        // The last partial batch is dropped: each epoch then has equal-sized steps.
        for (int b = 0; b < stepsPerEpoch; b++) {
          int start = b * settings.batchSize();
          float[] batch = new float[settings.batchSize() * size];
          int[] labels = new int[settings.batchSize()];
          for (int j = 0; j < settings.batchSize(); j++) {
            int image = order[start + j];
            System.arraycopy(x, image * size, batch, j * size, size);
            labels[j] = train.labels()[image];
          }
          double rate = settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
          lossSum += graph.trainStep(batch, labels, ++step, rate);
        }
        listener.epochDone(epoch, lossSum / stepsPerEpoch);
      }
      graph.saveVariables(checkpointPrefix);
    }
  }

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
