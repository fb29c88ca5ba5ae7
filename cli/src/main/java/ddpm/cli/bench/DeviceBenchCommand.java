package ddpm.cli.bench;

import ddpm.cli.ModelRef;
import ddpm.cli.SuiteOptions;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.Precision;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "device-bench", mixinStandardHelpOptions = true,
    description = {"Load one model version on each device and compare them in this JVM: the largest difference"
        + " between the devices' ε for the same inputs (fails above --tolerance), then images/s at each batch size."
        + " scripts/gpu-check.sh runs it on a GPU machine. --devices gpu fails at once where TensorFlow sees no GPU."})
public final class DeviceBenchCommand implements Callable<Integer> {
  /**
   * GPU kernels (cuDNN, cuBLAS) sum in other orders than the CPU's, and on Ampere and later TensorFlow runs float32
   * convolutions and matrix products in TF32 (unit roundoff 2^-11 ≈ 5e-4) by default; through a U-Net's few dozen
   * layers that moves ε, whose entries are of order 1, by about 1e-3. A real fault (other weights, a wrong layout)
   * moves it by order 1.
   */
  static final String DEFAULT_TOLERANCE = "0.02";

  @Option(names = "--model", defaultValue = "mnist", paramLabel = "NAME[:VERSION]",
      description = "Model to load; without a version, the highest (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--devices", defaultValue = "cpu,gpu", split = ",", paramLabel = "cpu|gpu",
      description = "Devices to load it on; ε is compared against the first (default: ${DEFAULT-VALUE}).")
  List<String> devices;

  @Option(names = "--batches", defaultValue = "1,16,64,256,1024", split = ",", paramLabel = "N",
      description = "Batch sizes to measure images/s at (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--compare-images", defaultValue = "64",
      description = "Images whose ε the devices are compared on, at timesteps spread over [0, T-1] (default:"
          + " ${DEFAULT-VALUE}).")
  int compareImages;

  @Option(names = "--tolerance", defaultValue = DEFAULT_TOLERANCE,
      description = "Largest |ε difference| between devices that counts as equal (default: ${DEFAULT-VALUE}:"
          + " TF32 and other summation orders on the GPU move ε by about 1e-3).")
  double tolerance;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin SuiteOptions suite;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<ComputeDevice> on = selectDevices();
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("--batches must be sizes ≥ 1, got " + batches);
    }
    if (compareImages < 1) {
      throw new IllegalArgumentException("--compare-images must be ≥ 1, got " + compareImages);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("--tolerance must be ≥ 0, got " + tolerance);
    }
    ModelRepository repository = new ModelRepository(suite.modelRepository());
    ModelRef ref = ModelRef.parse(model, "--model");
    long version = repository.resolve(ref.name(), ref.version());
    ModelCard card = repository.card(ref.name(), version);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("device-bench: %s version %d, %s on %s%n", ref.name(), version, card.imageShape(), on);
    out.flush();
    List<DjlEpsNetwork> networks = new ArrayList<>();
    try {
      for (ComputeDevice device : on) {
        networks.add(DjlEpsNetwork.load(repository.versionDir(ref.name(), version), card, device, Precision.FP32));
      }
      double worst = compare(out, card, networks);
      measure(out, card, networks);
      if (worst > tolerance) {
        throw new IllegalStateException(String.format(Locale.ROOT, "ε differs between devices by up to %.3g,"
            + " above --tolerance %.3g", worst, tolerance));
      }
      return 0;
    } finally {
      networks.forEach(DjlEpsNetwork::close);
    }
  }

  /** The devices named, each once, in order; {@code gpu} fails here where TensorFlow sees none. */
  private List<ComputeDevice> selectDevices() {
    Set<ComputeDevice> selected = new LinkedHashSet<>();
    for (String name : devices) {
      DeviceChoice choice = DeviceChoice.parse(name, "--devices");
      if (choice == DeviceChoice.AUTO) {
        throw new IllegalArgumentException("--devices takes cpu and gpu, not auto: name the devices to measure");
      }
      selected.add(choice.select("--devices"));
    }
    return List.copyOf(selected);
  }

  /** Prints each device's difference from the first device's ε; the largest. */
  private double compare(PrintWriter out, ModelCard card, List<DjlEpsNetwork> networks) {
    DeviceBench.Inputs inputs = DeviceBench.Inputs.of(card, networks.get(0), compareImages, seed);
    float[] reference = inputs.eps(networks.get(0));
    double worst = 0;
    for (DjlEpsNetwork other : networks.subList(1, networks.size())) {
      DeviceBench.Difference d = DeviceBench.Difference.between(reference, inputs.eps(other));
      out.printf(Locale.ROOT, "eps %s vs %s, %d images over t in [0, %d]: max |diff| %.3g, rms %.3g (tolerance"
              + " %.3g): %s%n", other.device(), networks.get(0).device(), compareImages, card.timesteps() - 1,
          d.maxAbs(), d.rms(), tolerance, d.maxAbs() <= tolerance ? "equal" : "DIFFERENT");
      worst = Math.max(worst, d.maxAbs());
    }
    out.flush();
    return worst;
  }

  /** Prints a row of images/s per device, one column per batch size. */
  private void measure(PrintWriter out, ModelCard card, List<DjlEpsNetwork> networks) {
    StringBuilder header = new StringBuilder(String.format("%-10s", "images/s"));
    batches.forEach(b -> header.append(String.format("%12s", "batch " + b)));
    out.println(header);
    for (DjlEpsNetwork network : networks) {
      StringBuilder row = new StringBuilder(String.format("%-10s", network.device()));
      for (int batch : batches) {
        double rate = DeviceBench.imagesPerSecond(network, DeviceBench.Inputs.of(card, network, batch, seed));
        row.append(String.format(Locale.ROOT, "%12.1f", rate));
      }
      out.println(row);
      out.flush();
    }
  }
}
