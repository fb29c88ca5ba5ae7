package ddpm.cli;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.GuidanceInterval;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.sampling.CorrectorSettings;
import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.SamplingChoice;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.grpc.TensorCodec;
import ddpm.images.ImageGrid;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.grpc.WireChoices;
import io.grpc.Channel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "sample", mixinStandardHelpOptions = true, resourceBundle = "ddpm.cli.SamplingChoiceHelp",
    description = {"Draw images from a model: FILE.png (a grid) and FILE.npz (uint8 [N,H,W,C] under arr_0).",
        "From a class-conditional model, --class, --classes or --per-class ask for classes: FILE.npz then also "
            + "holds each image's class (int64 [N] under arr_1) and the grid puts one class per row."})
final class SampleCommand implements Callable<Integer> {
  /** Images per Sample request: a sampler's default limit, so that --n works against any sampler. */
  static final int PER_REQUEST = SamplerConfig.DEFAULT_MAX_IMAGES;

  @Option(names = "--model", required = true, paramLabel = "NAME[:VERSION]",
      description = "Model in the repository; without a version, the highest.")
  String model;

  @Option(names = "--n", defaultValue = "16",
      description = "Number of images (default: ${DEFAULT-VALUE}), the first N of the seed's sequence; more than "
          + PER_REQUEST + " go out as requests of " + PER_REQUEST + " at image offsets 0, " + PER_REQUEST + ", ...")
  int count;

  @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sampler", converter = SamplerName.class, paramLabel = "${bundle:sampler.label}",
      descriptionKey = "sampler")
  SamplerKind sampler = SamplerKind.DEFAULT;

  @Option(names = "--steps", defaultValue = "0", paramLabel = "K",
      description = "Steps: the model's schedule respaced to K steps as --spacing says; 0 = every step. A step is "
          + "one denoiser call, two for heun, and one more per corrector step.")
  int steps;

  @Mixin SpacingOptions spacing;

  @Option(names = "--corrector-steps", defaultValue = "0", paramLabel = "M",
      description = "Langevin corrector steps after every step but the last (Song et al. 2021's "
          + "predictor-corrector sampling, any --sampler as the predictor), 0 to " + CorrectorSettings.MAX_STEPS
          + "; each is one more denoiser call (default: ${DEFAULT-VALUE}).")
  int correctorSteps;

  @Option(names = "--snr", defaultValue = "" + CorrectorSettings.DEFAULT_SNR, paramLabel = "R",
      description = "The corrector's signal-to-noise ratio r, finite and > 0 (default: ${DEFAULT-VALUE}, "
          + "Song et al.'s configurations).")
  double snr;

  @Option(names = "--eta", defaultValue = "0",
      description = "DDIM's eta in [0, 1]: 0 is deterministic, 1 is ancestral-like (default: ${DEFAULT-VALUE}).")
  double eta;

  @Option(names = "--clip", description = "Clip each step's predicted x_0 to [-1, 1].")
  boolean clip;

  @Option(names = "--variance", converter = VarianceName.class, paramLabel = "${bundle:variance.label}",
      descriptionKey = "variance")
  VarianceKind variance = VarianceKind.DEFAULT;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Output path; .png and .npz are added (a given .png or .npz suffix is dropped first).")
  String out;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running sampler service.")
  String target;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ClassOptions classes;

  @Option(names = "--num-classes", paramLabel = "C",
      description = "With --per-class, the classes 0..C-1 to draw; default: every class of the model, as the "
          + "embedded suite's denoiser tells it. Needed with --target, since a sampler does not tell a model's "
          + "classes.")
  Integer numClasses;

  @Option(names = "--guidance", defaultValue = "0", paramLabel = "W",
      description = "Classifier-free guidance scale w ≥ 0 (Ho & Salimans 2022): each step uses "
          + "(1 + w)·ε(x, y) − w·ε(x, ∅); needs a class option. 0 is the plain conditional model "
          + "(default: ${DEFAULT-VALUE}).")
  double guidance;

  @Option(names = "--guidance-interval", split = ",", paramLabel = "MIN,MAX",
      description = "Guide only the steps whose timestep t (of the model's T-step schedule, 0-based) has "
          + "MIN ≤ t ≤ MAX; the others use ε(x, y) alone (Kynkäänniemi et al. 2024). Needs --guidance above 0; "
          + "default: every step. docs/guidance.md recommends one for mnist-cond.")
  int[] guidanceInterval;

  @Mixin EditOptions edits;

  @Option(names = "--previews", paramLabel = "DIR",
      description = "Write the predicted x_0 every --preview-every steps and at the last: DIR/step-NNNN.png (a grid) "
          + "and DIR/strip-III.png (image III over the steps, left to right).")
  Path previews;

  @Option(names = "--preview-every", defaultValue = "10", paramLabel = "K",
      description = "With --previews: every K steps (default: ${DEFAULT-VALUE}).")
  int previewEvery;

  @Mixin SuiteOptions suite;

  @Mixin DeviceOptions embeddedDenoiser;

  @Mixin TargetSecurityOptions security;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    OutputFolder.requireWritable(Path.of(out), "--out");
    if (count < 1) {
      throw new IllegalArgumentException("--n must be ≥ 1, got " + count);
    }
    checkClassOptions();
    checkSamplerOptions();
    ModelRef ref = ModelRef.parse(model, "--model");
    long started = System.nanoTime();
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    SampleResult result = null;
    boolean nGiven = spec.commandLine().getParseResult().hasMatchedOption("--n");
    if (edits.any() || previews != null) {
      count = edits.load(spec.commandLine(), suite.data, count, nGiven);
      if (count > PER_REQUEST) {
        throw new ParameterException(spec.commandLine(), "--n: an edit or --previews takes at most " + PER_REQUEST
            + " images (one request), got " + count);
      }
    }
    // Only --per-class without --num-classes needs the model, so every other mistake shows before a suite starts.
    boolean askModel = classes != null && classes.perClass != null && numClasses == null;
    int[] labels = classes == null || askModel ? null : classes.labels(count, nGiven, () -> numClasses);
    int[] returnedLabels = null;
    PreviewFiles previewFiles = previews == null ? null : new PreviewFiles(previews);
    try (ServiceConnection connection = ServiceConnection.open(ServeCommand.Service.sampler, target, security, suite,
        embeddedDenoiser);
        ProgressBar bar = Progress.bar("sampling", spec.commandLine().getErr())) {
      if (askModel) {
        labels = classes.labels(count, nGiven, () -> modelClasses(connection, ref));
      }
      if (labels != null) {
        count = labels.length;
        returnedLabels = new int[count];
      }
      for (int first = 0, j = 0; first < count; first += PER_REQUEST, j++) {
        int n = Math.min(PER_REQUEST, count - first);
        SampleRequest.Builder request = SampleRequest.newBuilder()
            .setModel(ref.name()).setVersion(ref.version()).setNumImages(n).setSeed(seed).setImageOffset(first)
            .setSampler(WireChoices.toWire(sampler)).setSteps(steps).setEta(eta).setClipDenoised(clip)
            .setVariance(WireChoices.toWire(variance)).setIncludePng(labels == null && count <= PER_REQUEST)
            .setSpacing(WireChoices.toWire(spacing.kind)).setKarrasRho(spacing.rho)
            .setCorrectorSteps(correctorSteps).setCorrectorSnr(snr)
            .setGuidanceScale(guidance).setPreviewEvery(previews == null ? 0 : previewEvery);
        edits.addTo(request);
        if (guidanceInterval != null) {
          request.setGuidanceInterval(GuidanceInterval.newBuilder()
              .setMinTimestep(guidanceInterval[0]).setMaxTimestep(guidanceInterval[1]));
        }
        if (labels != null) {
          request.addAllClassLabels(IntStream.of(labels).skip(first).limit(n).boxed().toList());
        }
        result = sample(connection, request.build(), bar, j, (count + PER_REQUEST - 1) / PER_REQUEST, previewFiles);
        pixels.writeBytes(TensorCodec.toBytes(result.getImages(), "images"));
        if (labels != null) {
          copyLabels(result, n, returnedLabels, first);
        }
      }
    }
    long[] shape = TensorCodec.shape(result.getImages());
    shape[0] = count;
    byte[] images = pixels.toByteArray();
    String base = out.replaceFirst("\\.(png|npz)$", "");
    Path png = Path.of(base + ".png");
    Path npz = Path.of(base + ".npz");
    int h = (int) shape[1];
    int w = (int) shape[2];
    int c = (int) shape[3];
    if (labels != null) {
      Files.write(png, ImageGrid.pngByRow(images, returnedLabels, h, w, c));
      Npz.write(npz, Npz.Array.uint8("arr_0", images, shape), Npz.Array.int64("arr_1", returnedLabels));
    } else if (edits.interpolates()) {
      Files.write(png, ImageGrid.pngByRow(images, new int[count], h, w, c));
      Npz.writeUint8(npz, "arr_0", images, shape);
    } else {
      Files.write(png, count <= PER_REQUEST ? result.getPng().toByteArray() : ImageGrid.png(images, count, h, w, c));
      Npz.writeUint8(npz, "arr_0", images, shape);
    }
    edits.writeInputs(base);
    if (previewFiles != null) {
      previewFiles.write();
    }
    spec.commandLine().getOut().printf("wrote %s and %s: uint8 %s%s from %s version %d, %d denoiser calls, %.1f s%n",
        png,
        npz, Arrays.toString(shape), labels == null ? "" : " and their classes (arr_1)", result.getModel(),
        result.getVersion(), result.getSteps(), (System.nanoTime() - started) / 1e9);
    return 0;
  }

  /** What needs no model: --guidance's range and the options that make sense only with others. */
  private void checkClassOptions() {
    if (!Double.isFinite(guidance) || guidance < 0) {
      throw new ParameterException(spec.commandLine(), "--guidance must be finite and ≥ 0, got " + guidance);
    }
    if (guidance > 0 && classes == null) {
      throw new ParameterException(spec.commandLine(),
          "--guidance " + guidance + " needs the classes to guide towards: --class, --classes or --per-class");
    }
    if (guidanceInterval != null && guidanceInterval.length != 2) {
      throw new ParameterException(spec.commandLine(), "--guidance-interval takes two timesteps, MIN,MAX; got "
          + guidanceInterval.length);
    }
    if (guidanceInterval != null && guidance == 0) {
      throw new ParameterException(spec.commandLine(), "--guidance-interval limits where guidance applies, so it "
          + "needs --guidance above 0");
    }
    boolean perClass = classes != null && classes.perClass != null;
    if (numClasses != null && !perClass) {
      throw new ParameterException(spec.commandLine(), "--num-classes goes with --per-class only");
    }
    if (numClasses != null && numClasses < 1) {
      throw new ParameterException(spec.commandLine(), "--num-classes must be ≥ 1, got " + numClasses);
    }
    if (perClass && numClasses == null && target != null) {
      throw new ParameterException(spec.commandLine(), "--per-class with --target needs --num-classes C: a "
          + "sampler does not tell a model's classes");
    }
  }

  /** --rho, --corrector-steps and --snr, checked as the sampler checks them but named as options. */
  private void checkSamplerOptions() {
    spacing.check(spec);
    if (correctorSteps < 0 || correctorSteps > CorrectorSettings.MAX_STEPS) {
      throw new ParameterException(spec.commandLine(),
          "--corrector-steps must be in [0, " + CorrectorSettings.MAX_STEPS + "], got " + correctorSteps);
    }
    if (!(snr > 0 && snr < Double.POSITIVE_INFINITY)) {
      throw new ParameterException(spec.commandLine(), "--snr must be finite and > 0, got " + snr);
    }
  }

  /** The model's classes, as the embedded suite's denoiser tells them; none is an error for --per-class. */
  private static int modelClasses(ServiceConnection connection, ModelRef ref) {
    Channel denoiser = connection.embedded(ServeCommand.Service.denoiser).orElseThrow();
    ModelInfo info = DenoiserServiceGrpc.newBlockingStub(denoiser).getModelInfo(
        GetModelInfoRequest.newBuilder().setModel(ref.name()).setVersion(ref.version()).build());
    if (info.getNumClasses() == 0) {
      throw new IllegalArgumentException("--per-class needs a class-conditional model: " + info.getName()
          + " version " + info.getVersion() + " has no classes");
    }
    return info.getNumClasses();
  }

  /** The classes the sampler says the request's n images have, into {@code labels} from {@code first}. */
  private static void copyLabels(SampleResult result, int n, int[] labels, int first) {
    if (result.getClassLabelsCount() != n) {
      throw new IllegalStateException("the sampler returned " + result.getClassLabelsCount() + " class labels for "
          + n + " images asked for by class: does it sample class-conditional models?");
    }
    for (int i = 0; i < n; i++) {
      labels[first + i] = result.getClassLabels(i);
    }
  }

  /** One Sample request, its progress shown as part {@code part} of {@code parts}; its result. */
  private static SampleResult sample(ServiceConnection connection, SampleRequest request, ProgressBar bar, int part,
      int parts, PreviewFiles previews) {
    Iterator<SampleResponse> events = SamplerServiceGrpc.newBlockingStub(connection.channel()).sample(request);
    SampleResult result = null;
    while (events.hasNext()) {
      SampleResponse event = events.next();
      if (event.hasProgress()) {
        int total = event.getProgress().getTotalSteps();
        bar.maxHint((long) total * parts);
        bar.stepTo((long) total * part + event.getProgress().getStep());
      } else if (event.hasResult()) {
        result = event.getResult();
      } else if (event.hasPreview() && previews != null) {
        previews.add(event.getPreview());
      }
    }
    if (result == null) {
      throw new IllegalStateException("the sampler ended the stream without a result");
    }
    return result;
  }

  /** A row of a sampling table by its name on the command line, or on the wire for scripts. */
  private abstract static class ChoiceName<C extends Enum<C> & SamplingChoice> implements ITypeConverter<C> {
    private final Class<C> table;
    private final String option;

    ChoiceName(Class<C> table, String option) {
      this.table = table;
      this.option = option;
    }

    @Override
    public C convert(String value) {
      try {
        return SamplingChoice.parse(table, value, option);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SamplerName extends ChoiceName<SamplerKind> {
    SamplerName() {
      super(SamplerKind.class, "--sampler");
    }
  }

  static final class VarianceName extends ChoiceName<VarianceKind> {
    VarianceName() {
      super(VarianceKind.class, "--variance");
    }
  }
}
