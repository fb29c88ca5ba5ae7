package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import io.grpc.Context;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four services as JVMs on their own ports, started with `ddpm serve` (the denoiser twice, as two
 * replicas), and a sample request through them; the sampler also serves its metrics.
 */
class SeparateProcessesTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final Map<String, String> metricsUrls = new HashMap<>();

  @Test
  void aSampleRequestCrossesFourProcesses() throws Exception {
    Path models = dir.resolve("models");
    float[] x0 = new float[4 * 4 * 3];
    for (int i = 0; i < x0.length; i++) {
      x0[i] = (i % 17) / 8.5f - 1;
    }
    ModelCard card = ExactDenoisers.card("point", 4, 4, 3, 50, "cosine");
    new ModelRepository(models).publish("point", v -> ExactDenoisers.exportPointMass(v, card, x0));

    String scheduler = serve("scheduler");
    String denoiser = serve("denoiser", "--models", models.toString());
    // Two replicas of the denoiser, given to the sampler as a static list.
    String replica = serve("denoiser", "--models", models.toString());
    String sampler = serve("sampler", "--scheduler", scheduler, "--denoiser", denoiser + "," + replica,
        "--denoiser-timeout", "30", "--metrics-port", "0");
    String trainer = serve("trainer", "--scheduler", scheduler, "--models", models.toString(),
        "--work", dir.resolve("work").toString());
    for (String address : List.of(scheduler, denoiser, replica, sampler, trainer)) {
      awaitServing(address);
    }

    var stub = SamplerServiceGrpc.newBlockingStub(grpc.register(ddpm.grpc.Channels.forTarget(sampler)))
        .withDeadlineAfter(2, TimeUnit.MINUTES);
    SampleResult result = null;
    for (var it = stub.sample(SampleRequest.newBuilder().setModel("point").setNumImages(3).setSeed(1).build());
        it.hasNext(); ) {
      var r = it.next();
      if (r.hasResult()) {
        result = r.getResult();
      }
    }
    assertArrayEquals(new long[] {3, 4, 4, 3}, TensorCodec.shape(result.getImages()));
    byte[] pixels = TensorCodec.toBytes(result.getImages(), "images");
    for (int i = 0; i < pixels.length; i++) {
      int expected = Math.round((x0[i % x0.length] + 1) * 127.5f);
      assertEquals(expected, pixels[i] & 0xFF, 1, "pixel " + i);
    }
    assertEquals(50, MetricsScrape.of(metricsUrls.get("sampler")).value("ddpm_sampler_steps_total"));
  }

  /** Waits until grpc.health.v1 says SERVING: at once for most, once the models are warm for a denoiser. */
  private void awaitServing(String address) throws Exception {
    var health = HealthGrpc.newBlockingStub(grpc.register(ddpm.grpc.Channels.forTarget(address)))
        .withDeadlineAfter(2, TimeUnit.MINUTES);
    try (Context.CancellableContext watching = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> statuses =
          watching.call(() -> health.watch(HealthCheckRequest.getDefaultInstance()));
      ServingStatus status = statuses.next().getStatus();
      while (status == ServingStatus.NOT_SERVING) {
        status = statuses.next().getStatus();
      }
      assertEquals(ServingStatus.SERVING, status, address);
    }
  }

  /**
   * Starts `ddpm serve NAME ARGS` in a new JVM on port 0 and returns the address it prints; keeps the metrics
   * URL it also prints when ARGS ask for metrics.
   */
  private String serve(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Ddpm.class.getName(), "serve", name, "--port", "0"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String address = awaitLine(out, name + " listening on ");
    if (List.of(args).contains("--metrics-port")) {
      metricsUrls.put(name, awaitLine(out, name + " metrics on "));
    }
    drainInBackground(out);
    return address;
  }

  /** Reads the child's output up to the line that starts with {@code prefix}, and returns the rest of it. */
  private static String awaitLine(BufferedReader out, String prefix) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("exited before printing \"" + prefix + "\":\n" + seen);
  }

  /** Keeps reading a child's output so a full pipe never blocks it. */
  private static void drainInBackground(BufferedReader out) {
    Thread t = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException ignored) {
        // the child is gone
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
