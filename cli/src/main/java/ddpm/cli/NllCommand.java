package ddpm.cli;

import com.google.gson.GsonBuilder;
import ddpm.api.v1.ImageLikelihoodResult;
import ddpm.api.v1.LikelihoodBound;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.datasets.Datasets;
import ddpm.datasets.ImageSet;
import ddpm.datasets.Split;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.likelihood.BoundSummary;
import ddpm.diffusion.likelihood.ImageBound;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.grpc.TensorCodec;
import ddpm.images.LineChart;
import ddpm.sampler.grpc.WireChoices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "nll", mixinStandardHelpOptions = true,
    description = {"The variational bound on -log p(x) of a model, in bits per dimension (docs/likelihood.md), on "
        + "the first N test images of a data set: one denoiser call per image and timestep, T per image. Prints "
        + "one JSON object: per variance, the mean bound and its standard error and the mean prior L_T, decoder "
        + "L_0 and sum of the KL terms; with --out, a PNG of the mean terms against the timestep."})
final class NllCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "NAME[:VERSION]",
      description = "Model in the repository; without a version, the highest.")
  String model;

  @Option(names = "--dataset", defaultValue = "mnist", completionCandidates = DatasetChoices.class,
      description = "Data set whose test split holds the images: ${COMPLETION-CANDIDATES} (default: "
          + "${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--n", defaultValue = "100",
      description = "Number of images: the test split's first N (default: ${DEFAULT-VALUE}); more than "
          + SampleCommand.PER_REQUEST + " go out as requests of " + SampleCommand.PER_REQUEST + ".")
  int count;

  @Option(names = "--variance", converter = SampleCommand.VarianceName.class, paramLabel = "FIXED_LARGE|FIXED_SMALL",
      description = "The reverse-process variance sigma^2 of the bound: FIXED_LARGE (beta) or FIXED_SMALL (the "
          + "posterior variance); default: both, from the same denoiser calls.")
  VarianceKind variance;

  @Option(names = "--seed", defaultValue = "0", description = "Noise seed of the x_t (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "FILE.png", description = "Also write the mean terms against t as a PNG.")
  Path out;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running sampler service.")
  String target;

  @Mixin SuiteOptions suite;

  @Mixin DeviceOptions embeddedDenoiser;

  @Mixin TargetSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (count < 1) {
      throw new ParameterException(spec.commandLine(), "--n must be ≥ 1, got " + count);
    }
    if (out != null) {
      OutputFolder.requireWritable(out, "--out");
    }
    ModelRef ref = ModelRef.parse(model, "--model");
    ImageSet set = new Datasets(suite.data).source(dataset).load(Split.TEST);
    if (count > set.count()) {
      throw new ParameterException(spec.commandLine(),
          "--n: " + dataset + "'s test split has " + set.count() + " images, asked for " + count);
    }
    List<VarianceKind> variances = variance == null ? List.of(VarianceKind.values()) : List.of(variance);
    ImageShape shape = set.shape();
    long started = System.nanoTime();
    List<ImageLikelihoodResult> images = new ArrayList<>();
    try (ServiceConnection connection = ServiceConnection.open(ServeCommand.Service.sampler, target, security, suite,
        embeddedDenoiser);
        ProgressBar bar = Progress.bar("evaluating", spec.commandLine().getErr())) {
      int parts = (count + SampleCommand.PER_REQUEST - 1) / SampleCommand.PER_REQUEST;
      for (int first = 0, part = 0; first < count; first += SampleCommand.PER_REQUEST, part++) {
        int n = Math.min(SampleCommand.PER_REQUEST, count - first);
        byte[] pixels = Arrays.copyOfRange(set.pixels(), first * shape.size(), (first + n) * shape.size());
        LikelihoodRequest.Builder request = LikelihoodRequest.newBuilder()
            .setModel(ref.name()).setVersion(ref.version()).setSeed(seed).setImageOffset(first)
            .setImages(TensorCodec.uint8(pixels, n, shape.height(), shape.width(), shape.channels()));
        variances.forEach(v -> request.addVariances(WireChoices.toWire(v)));
        evaluate(connection, request.build(), bar, part, parts, images);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<BoundSummary> summaries = IntStream.range(0, variances.size())
        .mapToObj(v -> BoundSummary.of(images.stream().map(image -> bound(variances.get(v), image.getBounds(v)))
            .toList()))
        .toList();
    ImageLikelihoodResult last = images.get(images.size() - 1);
    if (out != null) {
      Files.write(out, chart(last.getModel() + ":" + last.getVersion(), summaries));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", last.getModel());
    json.put("version", last.getVersion());
    json.put("dataset", dataset);
    json.put("split", Split.TEST.name().toLowerCase(Locale.ROOT));
    json.put("images", count);
    json.put("seed", seed);
    json.put("timesteps", last.getEpsMseCount());
    json.put("seconds", seconds);
    json.put("seconds_per_image", seconds / count);
    json.put("eps_mse", images.stream().flatMap(image -> image.getEpsMseList().stream())
        .mapToDouble(Double::doubleValue).average().orElseThrow());
    json.put("bounds", summaries.stream().map(NllCommand::json).toList());
    spec.commandLine().getOut().println(new GsonBuilder().setPrettyPrinting().create().toJson(json));
    return 0;
  }

  /** One EvaluateLikelihood request, its progress shown as part {@code part} of {@code parts}; adds its images. */
  private static void evaluate(ServiceConnection connection, LikelihoodRequest request, ProgressBar bar, int part,
      int parts, List<ImageLikelihoodResult> images) {
    Iterator<LikelihoodResponse> events =
        SamplerServiceGrpc.newBlockingStub(connection.channel()).evaluateLikelihood(request);
    long expected = images.size() + request.getImages().getShape(0);
    while (events.hasNext()) {
      LikelihoodResponse event = events.next();
      if (event.hasProgress()) {
        int total = event.getProgress().getTotalTimesteps();
        bar.maxHint((long) total * parts);
        bar.stepTo((long) total * part + event.getProgress().getTimestepsDone());
      } else if (event.hasImage()) {
        images.add(event.getImage());
      }
    }
    if (images.size() != expected) {
      throw new IllegalStateException("the sampler ended the stream after " + images.size() + " of " + expected
          + " images");
    }
  }

  /** The wire's bound in diffusion-core's terms: the results come in the order the request named the variances. */
  private static ImageBound bound(VarianceKind variance, LikelihoodBound wire) {
    return new ImageBound(variance, wire.getPrior(), wire.getTermsList().stream().mapToDouble(Double::doubleValue)
        .toArray());
  }

  private static Map<String, Object> json(BoundSummary summary) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("variance", summary.variance().name());
    json.put("bits_per_dim", summary.bitsPerDim());
    json.put("standard_error", Double.isNaN(summary.standardError()) ? null : summary.standardError());
    json.put("prior", summary.prior());
    json.put("decoder", summary.decoder());
    json.put("kl_sum", summary.klSum());
    return json;
  }

  /** Nichol &amp; Dhariwal's Fig. 2: each term of the bound against t, on a log scale, one line per variance. */
  private static byte[] chart(String model, List<BoundSummary> summaries) {
    List<LineChart.Series> series = summaries.stream().map(summary -> new LineChart.Series(
        summary.variance().name(), IntStream.range(0, summary.terms().length).asDoubleStream().toArray(),
        summary.terms())).toList();
    return new LineChart("Terms of the variational bound, " + model + ", mean of " + summaries.get(0).images()
        + " images", "timestep t (0 = decoder L_0)", "L_t (bits/dim)", true).png(series);
  }
}
