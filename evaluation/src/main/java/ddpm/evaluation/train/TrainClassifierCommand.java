package ddpm.evaluation.train;

import ddpm.datasets.Datasets;
import ddpm.datasets.Split;
import ddpm.evaluation.classifier.ClassifierCard;
import ddpm.evaluation.classifier.ImageClassifier;
import ddpm.evaluation.classifier.ShippedClassifier;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
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
 * Trains an evaluation classifier on a data set's training half, exports it as a SavedModel into {@code --out},
 * measures it on the test half and writes classifier.json beside it. The default {@code --out} is the shipped copy.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
    description = "Train a classifier that ddpm eval uses, and write it as a SavedModel.")
public final class TrainClassifierCommand implements Callable<Integer> {
  @Option(names = "--dataset", defaultValue = "mnist", completionCandidates = ReferenceDataset.Ids.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = Datasets.DEFAULT_ROOT,
      description = Datasets.ROOT_HELP + " (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder to (re)write the SavedModel and "
      + "classifier.json in (default: the shipped copy, evaluation/src/main/resources/ddpm/evaluation/<dataset>-classifier).")
  Path out;

  @Option(names = "--epochs", defaultValue = "4", description = "Passes over the training half (default: ${DEFAULT-VALUE}).")
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
    ReferenceDataset reference = ReferenceDataset.forId(dataset);
    Path outDir = out != null ? out : Path.of("evaluation/src/main/resources" + ShippedClassifier.resources(reference));
    TrainingSettings settings = new TrainingSettings(epochs, batchSize, learningRate, seed);
    LabelledSplit train = LabelledSplit.load(reference, data, Split.TRAIN);
    LabelledSplit test = LabelledSplit.load(reference, data, Split.TEST);
    Path work = Files.createTempDirectory("ddpm-classifier-training");
    try {
      long started = System.nanoTime();
      ClassifierTrainer.train(train, settings, work.resolve("weights"),
          (epoch, loss) -> System.out.printf(Locale.ROOT, "epoch %d/%d: mean loss %.4f%n", epoch, epochs, loss));
      double seconds = (System.nanoTime() - started) / 1e9;
      Folders.deleteTree(outDir);
      ClassifierExport.export(work.resolve("weights"), outDir);
      double accuracy;
      int featureDimensions;
      try (ImageClassifier classifier = ImageClassifier.load(outDir)) {
        ImageClassifier.Outputs outputs = classifier.classify(test.images());
        accuracy = outputs.probabilities().accuracy(test.labels());
        featureDimensions = outputs.featureDimensions();
      }
      ClassifierCard card = new ClassifierCard(reference.id(), ClassifierNet.ARCHITECTURE, featureDimensions, accuracy,
          test.images().count(), train.images().count(), epochs, batchSize, learningRate, seed, seconds,
          String.format(Locale.ROOT, "%s --dataset %s --epochs %d --batch-size %d --lr %s --seed %d",
              getClass().getName(), reference.id(), epochs, batchSize, learningRate, seed));
      Files.writeString(outDir.resolve(ShippedClassifier.CARD), card.toJson(), StandardCharsets.UTF_8);
      System.out.printf(Locale.ROOT, "test accuracy %.4f after %.0f s; written to %s%n", accuracy, seconds, outDir);
      return 0;
    } finally {
      Folders.deleteTree(work);
    }
  }
}
