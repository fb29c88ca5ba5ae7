package ddpm.cli.bench;

import ddpm.cli.ModelRef;
import ddpm.cli.SuiteOptions;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.tensorflow.ComputeDevice;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.ForwardFlops;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.MatmulPeak;
import ddpm.tensorflow.Precision;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.tensorflow.kernels.FusedKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    description = {"Load one model version on each device, in each precision (and with each GroupNorm kernel), and"
        + " compare them in this JVM: the"
        + " largest difference between their ε for the same inputs (fails above --tolerance, or --bf16-tolerance"
        + " where bf16 takes part), then images/s at each batch size, measured in interleaved rounds, with each"
        + " precision's speed-up over the first on its device; then the network's floating-point operations per"
        + " image (counted from its graph), each device and precision's matrix peak (GFLOP/s of a square matrix"
        + " product in the same session configuration), and the networks' GFLOP/s and share of their peak."
        + " scripts/gpu-check.sh runs it on a GPU machine."
        + " --devices gpu fails at once where TensorFlow sees no GPU, and --precisions bf16 where it would not run"
        + " (the GPU, a CPU without bf16 units)."})
public final class DeviceBenchCommand implements Callable<Integer> {
  /**
   * GPU kernels (cuDNN, cuBLAS) sum in other orders than the CPU's, and on Ampere and later TensorFlow runs float32
   * convolutions and matrix products in TF32 (unit roundoff 2^-11 ≈ 5e-4) by default; through a U-Net's few dozen
   * layers that moves ε, whose entries are of order 1, by about 1e-3. A real fault (other weights, a wrong layout)
   * moves it by order 1.
   */
  static final String DEFAULT_TOLERANCE = "0.02";
  /**
   * bfloat16 keeps 8 significant bits (unit roundoff 2^-8 ≈ 3.9e-3): on mnist:4 it moved ε by 0.052 at most and by
   * 5e-3 RMS relative to ε (denoiser-service's Bf16EpsNetworkTest), well below a real fault's order 1.
   */
  static final String DEFAULT_BF16_TOLERANCE = "0.25";

  @Option(names = "--model", defaultValue = "mnist", paramLabel = "NAME[:VERSION]",
      description = "Model to load; without a version, the highest (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--devices", defaultValue = "cpu,gpu", split = ",", paramLabel = "cpu|gpu",
      description = "Devices to load it on; ε is compared against the first (default: ${DEFAULT-VALUE}).")
  List<String> devices;

  @Option(names = "--precisions", defaultValue = "fp32", split = ",", paramLabel = "fp32|bf16",
      description = "Precisions to load it in on each device; ε is compared against the first device's first"
          + " precision, and each other precision's images/s against its device's first (default:"
          + " ${DEFAULT-VALUE}). bf16 runs only on a CPU with bf16 units (amx_bf16 or avx512_bf16).")
  List<String> precisions;

  @Option(names = "--group-norms", defaultValue = "stock", split = ",", paramLabel = "stock|fused",
      description = "How each CPU network runs GroupNorm followed by SiLU: TensorFlow's ops (stock), the project's"
          + " fused kernel (fused), or both, each loaded beside the other and its images/s compared with the first's"
          + " in the same precision (default: ${DEFAULT-VALUE}). fused fails where the kernel does not load.")
  List<String> groupNorms;

  @Option(names = "--batches", defaultValue = "1,16,64,256,1024", split = ",", paramLabel = "N",
      description = "Batch sizes to measure images/s at (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
      description = "Rounds of images/s per batch size: each round measures every network in turn, so that other"
          + " load on the machine falls on them alike; a figure is the median of its rounds (default:"
          + " ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--compare-images", defaultValue = "64",
      description = "Images whose ε the devices are compared on, at timesteps spread over [0, T-1] (default:"
          + " ${DEFAULT-VALUE}).")
  int compareImages;

  @Option(names = "--tolerance", defaultValue = DEFAULT_TOLERANCE,
      description = "Largest |ε difference| between devices that counts as equal (default: ${DEFAULT-VALUE}:"
          + " TF32 and other summation orders on the GPU move ε by about 1e-3).")
  double tolerance;

  @Option(names = "--bf16-tolerance", defaultValue = DEFAULT_BF16_TOLERANCE,
      description = "Largest |ε difference| that counts as equal where either side runs in bf16 (default:"
          + " ${DEFAULT-VALUE}: bf16 moved mnist's ε by 0.05 at most).")
  double bf16Tolerance;

  @Option(names = "--peak-size", paramLabel = "N",
      description = "Side of the square float32 matrix product whose GFLOP/s, the median of --rounds rounds, is each"
          + " device and precision's peak (default: ${DEFAULT-VALUE}).")
  int peakSize = MatmulPeak.DEFAULT_SIZE;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin SuiteOptions suite;

  @Spec CommandSpec spec;

  /** One network to load: a device, a precision that runs there and how its GroupNorm+SiLU runs. */
  private record Setup(ComputeDevice device, Precision precision, GroupNormKernel groupNorm) {}

  /**
   * How rows are named: by device, then by precision once any network runs in other than fp32, and by GroupNorm
   * kernel once more than one is measured (the output of a comparison of devices alone stays as it was).
   */
  private record Names(boolean byPrecision, boolean byKernel) {
    String label(String device, String precision, String groupNorm) {
      return device + (byPrecision ? "/" + precision : "") + (byKernel ? "/" + groupNorm : "");
    }

    String label(DjlEpsNetwork network) {
      return label(network.device(), network.precision(), network.groupNorm());
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Setup> setups = setups();
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("--batches must be sizes ≥ 1, got " + batches);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be ≥ 1, got " + rounds);
    }
    if (compareImages < 1) {
      throw new IllegalArgumentException("--compare-images must be ≥ 1, got " + compareImages);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("--tolerance must be ≥ 0, got " + tolerance);
    }
    if (!(bf16Tolerance >= 0)) {
      throw new IllegalArgumentException("--bf16-tolerance must be ≥ 0, got " + bf16Tolerance);
    }
    if (peakSize < 1) {
      throw new IllegalArgumentException("--peak-size must be ≥ 1, got " + peakSize);
    }
    ModelRepository repository = new ModelRepository(suite.modelRepository());
    ModelRef ref = ModelRef.parse(model, "--model");
    long version = repository.resolve(ref.name(), ref.version());
    ModelCard card = repository.card(ref.name(), version);
    Names names = new Names(setups.stream().anyMatch(s -> s.precision() != Precision.FP32),
        setups.stream().map(Setup::groupNorm).distinct().count() > 1);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("device-bench: %s version %d, %s on %s%n", ref.name(), version, card.imageShape(),
        setups.stream().map(s -> names.label(s.device().label(), s.precision().label(), s.groupNorm().flagValue()))
            .toList());
    out.flush();
    Path dir = repository.versionDir(ref.name(), version);
    List<DjlEpsNetwork> networks = new ArrayList<>();
    List<MatmulPeak> peaks = new ArrayList<>();
    try {
      for (Setup setup : setups) {
        networks.add(DjlEpsNetwork.load(dir, card, setup.device(), setup.precision(), setup.groupNorm()));
      }
      List<String> failures = compare(out, card, networks, names);
      double[][] rates = measure(out, card, networks, names);
      ForwardFlops flops = ForwardFlops.ofSavedModel(dir, EpsContract.SIGNATURE_KEY);
      for (Setup setup : setups) {
        peaks.add(MatmulPeak.open(setup.device(), setup.precision(), peakSize, seed));
      }
      printWork(out, networks, names, rates, flops.perExample(), String.join(", ",
          flops.counted().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()), peaks);
      if (!failures.isEmpty()) {
        throw new IllegalStateException(String.join("; ", failures));
      }
      return 0;
    } finally {
      networks.forEach(DjlEpsNetwork::close);
      peaks.forEach(MatmulPeak::close);
    }
  }

  /**
   * Each device named, in each precision named, with each GroupNorm kernel named (the fused one on the CPU only),
   * in order and once; {@code gpu} fails here where TensorFlow sees none, {@code bf16} where it would not run, and
   * {@code fused} where the kernel does not load.
   */
  private List<Setup> setups() {
    Set<ComputeDevice> on = new LinkedHashSet<>();
    for (String name : devices) {
      DeviceChoice choice = DeviceChoice.parse(name, "--devices");
      if (choice == DeviceChoice.AUTO) {
        throw new IllegalArgumentException("--devices takes cpu and gpu, not auto: name the devices to measure");
      }
      on.add(choice.select("--devices"));
    }
    Set<PrecisionChoice> in = new LinkedHashSet<>();
    for (String name : precisions) {
      PrecisionChoice choice = PrecisionChoice.parse(name, "--precisions");
      if (choice == PrecisionChoice.AUTO) {
        throw new IllegalArgumentException(
            "--precisions takes fp32 and bf16, not auto: name the precisions to measure");
      }
      in.add(choice);
    }
    Set<GroupNormKernel> kernels = new LinkedHashSet<>();
    for (String name : groupNorms) {
      kernels.add(GroupNormKernel.parse(name, "--group-norms"));
    }
    if (kernels.contains(GroupNormKernel.FUSED)) {
      FusedKernels.unavailable().ifPresent(why -> {
        throw new IllegalArgumentException("--group-norms fused: " + why);
      });
    }
    List<Setup> setups = new ArrayList<>();
    for (ComputeDevice device : on) {
      for (PrecisionChoice choice : in) {
        for (GroupNormKernel kernel : kernels) {
          if (device == ComputeDevice.CPU || kernel == GroupNormKernel.STOCK) {
            setups.add(new Setup(device, choice.select(device, "--precisions"), kernel));
          }
        }
      }
    }
    return setups;
  }

  /** Prints each network's difference from the first one's ε; what exceeded its tolerance. */
  private List<String> compare(PrintWriter out, ModelCard card, List<DjlEpsNetwork> networks, Names names) {
    DjlEpsNetwork first = networks.get(0);
    DeviceBench.Inputs inputs = DeviceBench.Inputs.of(card, first, compareImages, seed);
    float[] reference = inputs.eps(first);
    List<String> failures = new ArrayList<>();
    for (DjlEpsNetwork other : networks.subList(1, networks.size())) {
      boolean bf16 = other.precision().equals(Precision.BF16.label())
          || first.precision().equals(Precision.BF16.label());
      double allowed = bf16 ? bf16Tolerance : tolerance;
      DeviceBench.Difference d = DeviceBench.Difference.between(reference, inputs.eps(other));
      out.printf(Locale.ROOT, "eps %s vs %s, %d images over t in [0, %d]: max |diff| %.3g, rms %.3g, relative rms"
              + " %.3g (tolerance %.3g): %s%n", names.label(other), names.label(first), compareImages,
          card.timesteps() - 1, d.maxAbs(), d.rms(), d.relativeRms(), allowed,
          d.maxAbs() <= allowed ? "equal" : "DIFFERENT");
      if (!(d.maxAbs() <= allowed)) {
        failures.add(String.format(Locale.ROOT, "ε of %s differs from %s's by up to %.3g, above %s %.3g",
            names.label(other), names.label(first), d.maxAbs(),
            bf16 ? "--bf16-tolerance" : "--tolerance", allowed));
      }
    }
    out.flush();
    return failures;
  }

  /**
   * Prints a row of images/s per network, one column per batch size, then a row per network that has a
   * {@link #baseline} with its images/s over the baseline's; returns the images/s.
   */
  private double[][] measure(PrintWriter out, ModelCard card, List<DjlEpsNetwork> networks, Names labels) {
    double[][] rates = rates(card, networks);
    List<String> names = networks.stream().map(labels::label).toList();
    List<String> ratioNames = new ArrayList<>();
    List<double[]> ratios = new ArrayList<>();
    for (int n = 0; n < networks.size(); n++) {
      int base = baseline(networks, n);
      if (base != n) {
        ratioNames.add(ratioName(networks, n));
        double[] ratio = new double[batches.size()];
        for (int b = 0; b < batches.size(); b++) {
          ratio[b] = rates[n][b] / rates[base][b];
        }
        ratios.add(ratio);
      }
    }
    int width = nameWidth(networks, labels);
    out.println(header(width, "images/s"));
    for (int n = 0; n < networks.size(); n++) {
      out.println(row(width, names.get(n), rates[n], "%12.1f"));
    }
    for (int r = 0; r < ratios.size(); r++) {
      out.println(row(width, ratioNames.get(r), ratios.get(r), "%11.2fx"));
    }
    out.flush();
    return rates;
  }

  /**
   * Prints the network's floating-point operations per image, each network's device and precision's matrix peak,
   * then the networks' GFLOP/s (images/s × operations per image) and that as a share of their peak, one column per
   * batch size. Its parameters name no tensorflow-runtime type outside a generic: picocli reads every method's
   * signature of a command, and the scheduler's and sampler's images run this jar without tensorflow-runtime.
   */
  private void printWork(PrintWriter out, List<DjlEpsNetwork> networks, Names labels, double[][] rates,
      long flopsPerImage, String countedOps, List<MatmulPeak> peaks) {
    out.printf(Locale.ROOT, "forward pass: %.4f GFLOP per image, counted from the graph: 2 per multiply-add of its"
        + " %s (elementwise ops left out)%n", flopsPerImage / 1e9, countedOps);
    out.flush();
    double[] peak = gflopsPerSecond(peaks);
    List<String> names = networks.stream().map(labels::label).toList();
    for (int p = 0; p < peaks.size(); p++) {
      double rewritten = peaks.get(p).relativeRmsFromFp32();
      out.printf(Locale.ROOT, "matmul peak %s: %.1f GFLOP/s (%dx%d float32 product%s)%n", names.get(p), peak[p],
          peakSize, peakSize, rewritten == 0 ? "" : String.format(Locale.ROOT,
              ", rewritten to %s: %.3g relative rms from fp32's", networks.get(p).precision(), rewritten));
    }
    int width = nameWidth(networks, labels);
    out.println(header(width, "GFLOP/s"));
    double[][] gflops = new double[networks.size()][batches.size()];
    for (int n = 0; n < networks.size(); n++) {
      for (int b = 0; b < batches.size(); b++) {
        gflops[n][b] = rates[n][b] * flopsPerImage / 1e9;
      }
      out.println(row(width, names.get(n), gflops[n], "%12.1f"));
    }
    out.println(header(width, "% of peak"));
    for (int n = 0; n < networks.size(); n++) {
      double[] share = new double[batches.size()];
      for (int b = 0; b < batches.size(); b++) {
        share[b] = 100 * gflops[n][b] / peak[n];
      }
      out.println(row(width, names.get(n), share, "%11.1f%%"));
    }
    out.flush();
  }

  /** GFLOP/s of each peak's product: the median of {@link #rounds} rounds, each measuring every peak in turn. */
  private double[] gflopsPerSecond(List<MatmulPeak> peaks) {
    double[][] measured = new double[peaks.size()][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int p = 0; p < peaks.size(); p++) {
        MatmulPeak peak = peaks.get(p);
        measured[p][round] = DeviceBench.callsPerSecond(peak::multiply) * peak.flops() / 1e9;
      }
    }
    double[] gflops = new double[peaks.size()];
    for (int p = 0; p < peaks.size(); p++) {
      gflops[p] = DeviceBench.median(measured[p]);
    }
    return gflops;
  }

  /**
   * The network whose images/s network {@code n}'s are compared with: for one with the first network's GroupNorm
   * kernel, the first network on its device (a precision's speed-up); for one with another kernel, the network on its
   * device in its precision with the first kernel (the kernel's speed-up). Itself where there is none.
   */
  private static int baseline(List<DjlEpsNetwork> networks, int n) {
    DjlEpsNetwork network = networks.get(n);
    String firstKernel = networks.get(0).groupNorm();
    for (int m = 0; m < n; m++) {
      DjlEpsNetwork other = networks.get(m);
      if (other.device().equals(network.device()) && other.groupNorm().equals(firstKernel)
          && (network.groupNorm().equals(firstKernel) || other.precision().equals(network.precision()))) {
        return m;
      }
    }
    return n;
  }

  /** A ratio row's name: the device, then what differs from the baseline: the precision, or the kernel. */
  private static String ratioName(List<DjlEpsNetwork> networks, int n) {
    DjlEpsNetwork network = networks.get(n);
    DjlEpsNetwork base = networks.get(baseline(networks, n));
    return network.device() + " " + (network.groupNorm().equals(base.groupNorm())
        ? network.precision() + "/" + base.precision()
        : network.precision() + " " + network.groupNorm() + "/" + base.groupNorm());
  }

  /** The width of the tables' first column: room for every network's row name and every ratio row's. */
  private static int nameWidth(List<DjlEpsNetwork> networks, Names labels) {
    int longest = 0;
    for (int n = 0; n < networks.size(); n++) {
      longest = Math.max(longest, labels.label(networks.get(n)).length());
      if (baseline(networks, n) != n) {
        longest = Math.max(longest, ratioName(networks, n).length());
      }
    }
    return Math.max(10, 2 + longest);
  }

  private String header(int width, String what) {
    StringBuilder header = new StringBuilder(String.format("%-" + width + "s", what));
    batches.forEach(b -> header.append(String.format("%12s", "batch " + b)));
    return header.toString();
  }

  /**
   * Images/s of each network at each batch size: the median of {@link #rounds} rounds, each of which measures every
   * network in turn after all were warmed up at that size.
   */
  private double[][] rates(ModelCard card, List<DjlEpsNetwork> networks) {
    double[][] rates = new double[networks.size()][batches.size()];
    for (int b = 0; b < batches.size(); b++) {
      List<DeviceBench.Inputs> inputs = new ArrayList<>();
      for (DjlEpsNetwork network : networks) {
        DeviceBench.Inputs batch = DeviceBench.Inputs.of(card, network, batches.get(b), seed);
        batch.eps(network);
        inputs.add(batch);
      }
      double[][] measured = new double[networks.size()][rounds];
      for (int round = 0; round < rounds; round++) {
        for (int n = 0; n < networks.size(); n++) {
          measured[n][round] = DeviceBench.imagesPerSecond(networks.get(n), inputs.get(n));
        }
      }
      for (int n = 0; n < networks.size(); n++) {
        rates[n][b] = DeviceBench.median(measured[n]);
      }
    }
    return rates;
  }

  private static String row(int width, String name, double[] values, String format) {
    StringBuilder row = new StringBuilder(String.format("%-" + width + "s", name));
    for (double value : values) {
      row.append(String.format(Locale.ROOT, format, value));
    }
    return row.toString();
  }
}
