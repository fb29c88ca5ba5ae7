package ddpm.cli;

import ddpm.datasets.Datasets;
import ddpm.evaluation.SampleEvaluator;
import ddpm.evaluation.data.LabelledSplit;
import ddpm.evaluation.data.ReferenceDataset;
import ddpm.evaluation.data.SampleFile;
import ddpm.evaluation.data.SampleSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Score generated images with a classifier shipped for their data set and print one JSON object: "
        + "the Frechet distance of their features to the data set's test half, the floor (the same for as many "
        + "real training images) and their ratio, the class histogram and the mean confidence; for samples that "
        + "carry their requested classes (arr_1), also how often each is its requested class.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--samples", required = true, split = ",", paramLabel = "FILE.npz",
      description = "Images as ddpm sample writes them: arr_0, uint8 [N,28,28,1] or [N,28,28], and the classes "
          + "they were requested as, arr_1, int64 [N], when they came from a class-conditional model. Several "
          + "files (comma-separated or the option repeated) are scored as one set, their images numbered in the "
          + "order given (as the report's requested_class_misses counts them): all with arr_1 or none.")
  List<Path> samples;

  @Option(names = "--dataset", defaultValue = "mnist", completionCandidates = ReferenceDataset.Ids.class,
      description = "The data set the samples imitate: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = Datasets.DEFAULT_ROOT,
      description = Datasets.ROOT_HELP + " (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--floor-seed", paramLabel = "S", defaultValue = "0",
      description = "Picks the real training images of the floor (default: ${DEFAULT-VALUE}).")
  long floorSeed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ReferenceDataset reference;
    try {
      reference = ReferenceDataset.forId(dataset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    SampleSet set = SampleFile.readAll(samples, LabelledSplit.SIDE, LabelledSplit.SIDE);
    try (SampleEvaluator evaluator = SampleEvaluator.withShippedClassifier(reference, data)) {
      spec.commandLine().getOut().println(evaluator.evaluate(set, floorSeed).toJson());
    }
    return 0;
  }
}
