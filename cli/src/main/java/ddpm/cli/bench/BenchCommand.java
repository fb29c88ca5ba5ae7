package ddpm.cli.bench;

import ddpm.cli.ModelRef;
import ddpm.cli.ServiceProcess;
import ddpm.cli.SuiteOptions;
import ddpm.denoiser.engine.DjlEpsNetwork;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Channels;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure what the RPC between sampler and denoiser costs. Starts a scheduler, two denoisers "
        + "(batching on and off) and a sampler for each as separate processes on loopback, runs every measurement "
        + "once to warm up and then ROUNDS times side by side, and prints a table of medians and one JSON line of "
        + "ratios.", "Results and how to read them: docs/benchmarks.md."})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "mnist", paramLabel = "NAME[:VERSION]",
      description = "Model to sample; without a version, the highest (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--steps", defaultValue = "50", description = "DDIM steps per sampling run (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", defaultValue = "16",
      description = "B: images of the batched runs, and concurrent 1-image requests, in [2, 16] (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin SuiteOptions suite;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (batch < 2 || batch > 16) {
      throw new IllegalArgumentException("--batch must be in [2, 16] (the sampler runs 16 requests at once), got "
          + batch);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be ≥ 1, got " + rounds);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path models = suite.modelRepository();
    ModelRepository repository = new ModelRepository(models);
    ModelRef ref = ModelRef.parse(model, "--model");
    String name = ref.name();
    long resolved = repository.resolve(name, ref.version());
    ModelCard card = repository.card(name, resolved);
    if (steps < 1 || steps > card.timesteps()) {
      throw new IllegalArgumentException("--steps must be in [1, " + card.timesteps() + "], got " + steps);
    }
    out.printf("bench: %s version %d, DDIM over %d steps, B = %d, %d rounds; starting the services...%n",
        name, resolved, steps, batch, rounds);
    out.flush();
    List<AutoCloseable> open = new ArrayList<>();
    try {
      ServiceProcess scheduler = opened(open, ServiceProcess.start("scheduler"));
      // The served networks run as the in-process one does (DjlEpsNetwork.load's CPU, fp32, TensorFlow's ops), so
      // that the two sides differ by the RPC alone, whatever the defaults pick on this machine.
      String[] sameNetwork = {"--models", models.toString(), "--device", "cpu", "--precision", "fp32",
          "--group-norm", "stock"};
      ServiceProcess denoiser = opened(open, ServiceProcess.start("denoiser", sameNetwork));
      ServiceProcess unbatchedDenoiser = opened(open, ServiceProcess.start("denoiser",
          Stream.concat(Arrays.stream(sameNetwork), Stream.of("--no-batching")).toArray(String[]::new)));
      ServiceProcess sampler = opened(open, ServiceProcess.start("sampler",
          "--scheduler", scheduler.address(), "--denoiser", denoiser.address()));
      ServiceProcess unbatchedSampler = opened(open, ServiceProcess.start("sampler",
          "--scheduler", scheduler.address(), "--denoiser", unbatchedDenoiser.address()));
      for (ServiceProcess service : List.of(scheduler, denoiser, unbatchedDenoiser, sampler, unbatchedSampler)) {
        service.awaitServing(600);
      }
      ManagedChannel toSampler = channel(open, sampler);
      ManagedChannel toUnbatchedSampler = channel(open, unbatchedSampler);
      ManagedChannel toDenoiser = channel(open, denoiser);
      DjlEpsNetwork local = opened(open, DjlEpsNetwork.load(repository.versionDir(name, resolved), card));
      NoiseSchedule respaced =
          NoiseSchedule.of(ScheduleKind.parse(card.schedule(), "schedule"), card.timesteps()).respace(steps);
      SamplingBench bench = new SamplingBench(name, resolved,
          new ImageShape(card.height(), card.width(), card.channels()), respaced, local);

      Map<String, Callable<Double>> runs = new LinkedHashMap<>();
      runs.put(BenchReport.IN_PROCESS_1, () -> bench.inProcess(1));
      runs.put(BenchReport.IN_PROCESS_B, () -> bench.inProcess(batch));
      runs.put(BenchReport.GRPC_1X1, () -> bench.overGrpc(toSampler, 1, 1));
      runs.put(BenchReport.GRPC_1XB, () -> bench.overGrpc(toSampler, 1, batch));
      runs.put(BenchReport.GRPC_BX1, () -> bench.overGrpc(toSampler, batch, 1));
      runs.put(BenchReport.GRPC_BX1_UNBATCHED, () -> bench.overGrpc(toUnbatchedSampler, batch, 1));
      for (int images : new int[] {1, batch}) {
        runs.put(BenchReport.localCall(images), () -> bench.localCall(images));
        runs.put(BenchReport.unaryCall(images), () -> bench.unaryCall(toDenoiser, images));
        runs.put(BenchReport.streamCall(images), () -> bench.streamCall(toDenoiser, images));
      }
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      for (int round = 0; round <= rounds; round++) {
        out.println(round == 0 ? "warming up..." : "round " + round + " of " + rounds + "...");
        out.flush();
        for (Map.Entry<String, Callable<Double>> run : runs.entrySet()) {
          double s = run.getValue().call();
          if (round > 0) {
            seconds.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(s);
          }
        }
      }
      new BenchReport(name, resolved, steps, batch, seconds).print(out);
      return 0;
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  private static ManagedChannel channel(List<AutoCloseable> open, ServiceProcess service) {
    ManagedChannel channel = Channels.plaintext(service.address());
    open.add(() -> Channels.close(channel));
    return channel;
  }

  private static <T extends AutoCloseable> T opened(List<AutoCloseable> open, T resource) {
    open.add(resource);
    return resource;
  }
}
