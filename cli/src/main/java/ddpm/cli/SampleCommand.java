package ddpm.cli;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.VarianceKind;
import ddpm.grpc.TensorCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Draw images from a model: FILE.png (a grid) and FILE.npz (uint8 [N,H,W,C] under arr_0).")
final class SampleCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "NAME[:VERSION]",
      description = "Model in the repository; without a version, the highest.")
  String model;

  @Option(names = "--n", defaultValue = "16", description = "Number of images (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sampler", defaultValue = "ancestral", converter = SamplerName.class,
      paramLabel = "ancestral|ddim|dpm-solver++",
      description = "Update rule: ancestral (Ho et al.), ddim (Song et al., see --eta) or dpm-solver++ "
          + "(DPM-Solver++(2M), for 10-20 steps); the enum names are accepted too. Default: ${DEFAULT-VALUE}.")
  SamplerKind sampler;

  @Option(names = "--steps", defaultValue = "0", paramLabel = "K",
      description = "Denoiser calls: the model's schedule respaced to K evenly spaced steps; 0 = every step.")
  int steps;

  @Option(names = "--eta", defaultValue = "0",
      description = "DDIM's eta in [0, 1]: 0 is deterministic, 1 is ancestral-like (default: ${DEFAULT-VALUE}).")
  double eta;

  @Option(names = "--clip", description = "Clip each step's predicted x_0 to [-1, 1].")
  boolean clip;

  @Option(names = "--variance", defaultValue = "FIXED_LARGE",
      description = "Ancestral sampler: FIXED_LARGE (sigma^2 = beta) or FIXED_SMALL (posterior variance); "
          + "default: ${DEFAULT-VALUE}.")
  VarianceKind variance;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Output path; .png and .npz are added (a given .png or .npz suffix is dropped first).")
  String out;

  @Option(names = "--target", paramLabel = "HOST:PORT", description = "A running sampler service.")
  String target;

  @Mixin SuiteOptions suite;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ModelRef ref = ModelRef.parse(model);
    SampleRequest request = SampleRequest.newBuilder()
        .setModel(ref.name()).setVersion(ref.version()).setNumImages(count).setSeed(seed)
        .setSampler(sampler).setSteps(steps).setEta(eta).setClipDenoised(clip)
        .setVariance(variance).setIncludePng(true).build();
    long started = System.nanoTime();
    SampleResult result;
    try (ServiceConnection connection = ServiceConnection.open(target, suite, EmbeddedSuite::samplerAddress);
        ProgressBar bar = Progress.bar("sampling")) {
      Iterator<SampleResponse> events = SamplerServiceGrpc.newBlockingStub(connection.channel()).sample(request);
      result = null;
      while (events.hasNext()) {
        SampleResponse event = events.next();
        if (event.hasProgress()) {
          bar.maxHint(event.getProgress().getTotalSteps());
          bar.stepTo(event.getProgress().getStep());
        } else if (event.hasResult()) {
          result = event.getResult();
        }
      }
    }
    if (result == null) {
      throw new IllegalStateException("the sampler ended the stream without a result");
    }
    String base = out.replaceFirst("\\.(png|npz)$", "");
    Path png = Path.of(base + ".png");
    Path npz = Path.of(base + ".npz");
    long[] shape = TensorCodec.shape(result.getImages());
    Files.write(png, result.getPng().toByteArray());
    Npz.writeUint8(npz, "arr_0", TensorCodec.toBytes(result.getImages(), "images"), shape);
    spec.commandLine().getOut().printf("wrote %s and %s: uint8 %s from %s version %d, %d steps, %.1f s%n", png, npz,
        Arrays.toString(shape), result.getModel(), result.getVersion(), result.getSteps(),
        (System.nanoTime() - started) / 1e9);
    return 0;
  }

  /** The sampler's short names as on the command line, and the proto's enum names for scripts. */
  static final class SamplerName implements ITypeConverter<SamplerKind> {
    @Override
    public SamplerKind convert(String value) {
      return switch (value) {
        case "ancestral", "ANCESTRAL" -> SamplerKind.ANCESTRAL;
        case "ddim", "DDIM" -> SamplerKind.DDIM;
        case "dpm-solver++", "DPM_SOLVER_PP_2M" -> SamplerKind.DPM_SOLVER_PP_2M;
        default -> throw new IllegalArgumentException(
            "--sampler must be ancestral, ddim or dpm-solver++, got \"" + value + "\"");
      };
    }
  }
}
