package ddpm.cli;

import ddpm.grpc.Channels;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One service as a child JVM, started with {@code ddpm serve SERVICE --port 0 ARGS} on this JVM's class path
 * (ARGS may name a --port of their own, as a restarted service does): what the benchmark and the
 * separate-process tests run. Closing it stops the child as SIGTERM would.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final String address;
  private final Optional<String> metricsUrl;

  private ServiceProcess(Process process, String address, Optional<String> metricsUrl) {
    this.process = process;
    this.address = address;
    this.metricsUrl = metricsUrl;
  }

  /** Starts the child and returns once it has printed the address it listens on (and its metrics URL, if asked). */
  public static ServiceProcess start(String service, String... args) throws IOException {
    return start(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), Ddpm.class.getName(), "serve", service), service, args);
  }

  /**
   * As {@link #start(String, String...)}, from a command line of its own that ends in {@code serve SERVICE}: a
   * container image's entrypoint, run on its unpacked files.
   */
  public static ServiceProcess start(List<String> serve, String service, String... args) throws IOException {
    List<String> command = new ArrayList<>(serve);
    if (!List.of(args).contains("--port")) {
      command.addAll(List.of("--port", "0"));
    }
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String address = awaitLine(out, service + " listening on ");
      Optional<String> metrics = List.of(args).contains("--metrics-port")
          ? Optional.of(awaitLine(out, service + " metrics on ")) : Optional.empty();
      drainInBackground(out);
      return new ServiceProcess(process, address, metrics);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** HOST:PORT. */
  public String address() {
    return address;
  }

  public Optional<String> metricsUrl() {
    return metricsUrl;
  }

  /**
   * Waits until grpc.health.v1 reports SERVING: at once for most services, once its models are loaded and warm
   * for a denoiser; IllegalStateException if it reports anything else or not within {@code seconds}.
   */
  public void awaitServing(long seconds) {
    ManagedChannel channel = Channels.plaintext(address);
    try (Context.CancellableContext watching = Context.current().withCancellation()) {
      Iterator<HealthCheckResponse> statuses = watching.call(() -> HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(seconds, TimeUnit.SECONDS)
          .watch(HealthCheckRequest.getDefaultInstance()));
      ServingStatus status = statuses.next().getStatus();
      while (status == ServingStatus.NOT_SERVING) {
        status = statuses.next().getStatus();
      }
      if (status != ServingStatus.SERVING) {
        throw new IllegalStateException(address + " reports " + status);
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      Channels.close(channel);
    }
  }

  /**
   * Stops the child as SIGTERM does and returns its exit code once it has exited: 143 (128 + SIGTERM) after a
   * graceful stop, 137 when it was still running after 40 s and was killed.
   */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return process.waitFor();
  }

  /** Kills the child at once (SIGKILL), as a crash would, and returns once it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String awaitLine(BufferedReader out, String prefix) throws IOException {
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("the child exited before printing \"" + prefix + "\":\n" + seen);
  }

  /** Keeps reading the child's output so that a full pipe never blocks it. */
  private static void drainInBackground(BufferedReader out) {
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // The child's log lines; its address was all that was needed.
        }
      } catch (IOException e) {
        // The child is gone.
      }
    }, "drain-child-output");
    drain.setDaemon(true);
    drain.start();
  }
}
