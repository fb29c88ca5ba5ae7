package ddpm.cli.bench;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.cli.ModelRef;
import ddpm.grpc.Channels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak", mixinStandardHelpOptions = true,
    description = {"Load a running sampler for a while: N clients each send Sample requests (DDIM, η = 0) one "
        + "after another for M minutes. Prints, for every minute, the requests that ended in it, requests/s, p50 "
        + "and p99 latency (failed requests included) and the failures by status code, then the same for the "
        + "whole run.",
        "scripts/soak.sh starts the services as separate processes and watches their memory, open files and "
            + "threads around it; results in docs/benchmarks.md."})
public final class SoakCommand implements Callable<Integer> {
  @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "The sampler to load.")
  String target;

  @Option(names = "--clients", defaultValue = "8", description = "N: concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--minutes", defaultValue = "10", description = "M: minutes of load (default: ${DEFAULT-VALUE}).")
  int minutes;

  @Option(names = "--model", defaultValue = "digits", paramLabel = "NAME[:VERSION]",
      description = "Model to sample; without a version, the sampler's default (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--steps", defaultValue = "20", description = "DDIM steps per request (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--n", defaultValue = "1", description = "Images per request (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(names = "--deadline", defaultValue = "60", paramLabel = "SECONDS",
      description = "Deadline of each request (default: ${DEFAULT-VALUE}).")
  int deadlineSeconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || minutes < 1 || steps < 1 || images < 1 || deadlineSeconds < 1) {
      throw new IllegalArgumentException("--clients, --minutes, --steps, --n and --deadline must be ≥ 1");
    }
    ModelRef ref = ModelRef.parse(model, "--model");
    PrintWriter out = spec.commandLine().getOut();
    ManagedChannel channel = Channels.plaintext(target);
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    try {
      SoakMinutes record = new SoakMinutes(System.nanoTime(), minutes);
      long end = record.start() + TimeUnit.MINUTES.toNanos(minutes);
      out.printf("soak: %d clients for %d min against %s: %s, DDIM over %d steps, %d image(s) per request%n",
          clients, minutes, target, model, steps, images);
      out.println(SoakMinutes.HEADER);
      out.flush();
      for (int c = 0; c < clients; c++) {
        int client = c;
        threads.execute(() -> {
          var stub = SamplerServiceGrpc.newBlockingStub(channel);
          for (long k = 0; System.nanoTime() < end; k++) {
            SampleRequest request = SampleRequest.newBuilder().setModel(ref.name()).setVersion(ref.version())
                .setNumImages(images).setSampler(SamplerKind.DDIM).setSteps(steps)
                .setSeed(client * 1_000_000_000L + k).build();
            long started = System.nanoTime();
            Status.Code code = Status.Code.OK;
            try {
              stub.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS).sample(request).forEachRemaining(e -> {});
            } catch (RuntimeException e) {
              code = Status.fromThrowable(e).getCode();
            }
            long ended = System.nanoTime();
            record.add(ended, ended - started, code);
          }
        });
      }
      for (int minute = 1; minute < minutes; minute++) {
        long due = record.start() + TimeUnit.MINUTES.toNanos(minute);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
        out.println(record.minute(minute));
        out.flush();
      }
      // The last minute also takes the requests still running when it ended.
      threads.shutdown();
      threads.awaitTermination(deadlineSeconds + 60L, TimeUnit.SECONDS);
      out.println(record.minute(minutes));
      out.println(record.total());
      return record.failures() == 0 ? 0 : 1;
    } finally {
      threads.shutdownNow();
      Channels.close(channel);
    }
  }
}
