package ddpm.cli;

import ddpm.evaluation.MnistEvaluator;
import ddpm.evaluation.data.Images;
import ddpm.evaluation.data.MnistSplit;
import ddpm.evaluation.data.SampleFile;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Score generated digits with the shipped MNIST classifier and print one JSON object: the "
        + "Frechet distance of their features to MNIST-test, the floor (the same for as many real training "
        + "images) and their ratio, the class histogram and the mean confidence.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--samples", required = true, split = ",", paramLabel = "FILE.npz",
      description = "Images as ddpm sample writes them: arr_0, uint8 [N,28,28,1] or [N,28,28]. Several files "
          + "(comma-separated or the option repeated) are scored as one set.")
  List<Path> samples;

  @Option(names = "--dataset", defaultValue = MnistEvaluator.DATASET,
      description = "The data set the samples imitate; only mnist for now (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist",
      description = "MNIST files, as written by scripts/fetch-mnist.sh (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--floor-seed", paramLabel = "S", defaultValue = "0",
      description = "Picks the real training images of the floor (default: ${DEFAULT-VALUE}).")
  long floorSeed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!MnistEvaluator.DATASET.equals(dataset)) {
      throw new ParameterException(spec.commandLine(), "--dataset: only " + MnistEvaluator.DATASET
          + " has a classifier, got '" + dataset + "'");
    }
    Images images = SampleFile.readAll(samples, MnistSplit.SIDE, MnistSplit.SIDE);
    try (MnistEvaluator evaluator = MnistEvaluator.withShippedClassifier(data)) {
      spec.commandLine().getOut().println(evaluator.evaluate(images, floorSeed).toJson());
    }
    return 0;
  }
}
