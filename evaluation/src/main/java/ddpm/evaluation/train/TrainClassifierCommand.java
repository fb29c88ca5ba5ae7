package ddpm.evaluation.train;

import ddpm.evaluation.classifier.ClassifierCard;
import ddpm.evaluation.classifier.MnistClassifier;
import ddpm.evaluation.classifier.ShippedClassifier;
import ddpm.evaluation.data.MnistSplit;
import ddpm.repository.Folders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Trains the evaluation classifier on MNIST-train, exports it as a SavedModel into {@code --out}, measures
 * it on MNIST-test and writes classifier.json beside it. The default {@code --out} is the shipped copy.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
    description = "Train the MNIST classifier that ddpm eval uses, and write it as a SavedModel.")
public final class TrainClassifierCommand implements Callable<Integer> {
  private static final String SHIPPED = "evaluation/src/main/resources" + ShippedClassifier.RESOURCES;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist",
      description = "MNIST files from scripts/fetch-mnist.sh (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = SHIPPED,
      description = "Folder to (re)write the SavedModel and classifier.json in (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--epochs", defaultValue = "4", description = "Passes over MNIST-train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", defaultValue = "1e-3",
      description = "Peak Adam learning rate, decayed to 0 on a cosine (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--seed", defaultValue = "1", description = "Weights and batch order (default: ${DEFAULT-VALUE}).")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainClassifierCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    TrainingSettings settings = new TrainingSettings(epochs, batchSize, learningRate, seed);
    MnistSplit train = MnistSplit.load(data, MnistSplit.Part.TRAIN);
    MnistSplit test = MnistSplit.load(data, MnistSplit.Part.TEST);
    Path work = Files.createTempDirectory("ddpm-classifier-training");
    try {
      long started = System.nanoTime();
      ClassifierTrainer.train(train, settings, work.resolve("weights"),
          (epoch, loss) -> System.out.printf(Locale.ROOT, "epoch %d/%d: mean loss %.4f%n", epoch, epochs, loss));
      double seconds = (System.nanoTime() - started) / 1e9;
      Folders.deleteTree(out);
      ClassifierExport.export(work.resolve("weights"), out);
      double accuracy;
      int featureDimensions;
      try (MnistClassifier classifier = MnistClassifier.load(out)) {
        MnistClassifier.Outputs outputs = classifier.classify(test.images());
        accuracy = outputs.probabilities().accuracy(test.labels());
        featureDimensions = outputs.featureDimensions();
      }
      ClassifierCard card = new ClassifierCard(ClassifierNet.ARCHITECTURE, featureDimensions, accuracy,
          test.images().count(), train.images().count(), epochs, batchSize, learningRate, seed, seconds,
          String.format(Locale.ROOT, "%s --epochs %d --batch-size %d --lr %s --seed %d",
              getClass().getName(), epochs, batchSize, learningRate, seed));
      Files.writeString(out.resolve(ShippedClassifier.CARD), card.toJson(), StandardCharsets.UTF_8);
      System.out.printf(Locale.ROOT, "test accuracy %.4f after %.0f s; written to %s%n", accuracy, seconds, out);
      return 0;
    } finally {
      Folders.deleteTree(work);
    }
  }
}
