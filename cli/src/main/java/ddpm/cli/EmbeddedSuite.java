package ddpm.cli;

import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.denoiser.core.ModelLoading;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.security.Security;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.GroupNormKernel;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.trainer.TrainerConfig;
import ddpm.trainer.TrainerServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The four services in one JVM, each on its own loopback port and talking to the others over gRPC exactly
 * as separate processes would. It is what every command uses when no --target is given.
 */
public final class EmbeddedSuite implements AutoCloseable {
  /** The highest base port: the four metrics ports N to N+3 all fit. */
  public static final int MAX_METRICS_BASE_PORT = 65535 - 3;

  private final List<ServerRunner> servers = new ArrayList<>();
  private final ServerRunner scheduler;
  private final ServerRunner denoiser;
  private final ServerRunner sampler;
  private final ServerRunner trainer;

  /** Without metrics. */
  public EmbeddedSuite(SuitePaths paths) throws IOException {
    this(paths, Endpoint.NO_METRICS);
  }

  /**
   * With {@code metricsBasePort} other than {@link Endpoint#NO_METRICS}, each service also serves its
   * Prometheus metrics on loopback: on a free port each when it is 0; otherwise on fixed ports, the scheduler on
   * N, the denoiser on N+1, the sampler on N+2 and the trainer on N+3, so that a scrape config is written once.
   * Every model loads as the suite starts.
   */
  public EmbeddedSuite(SuitePaths paths, int metricsBasePort) throws IOException {
    this(paths, metricsBasePort, DeviceChoice.AUTO, PrecisionChoice.AUTO, ModelLoading.AT_START);
  }

  /**
   * As {@link #EmbeddedSuite(SuitePaths, int, DeviceChoice, PrecisionChoice, ModelLoading, GroupNormKernel)}, the
   * denoiser's CPU networks with GroupNorm+SiLU fused where the kernel loads.
   */
  public EmbeddedSuite(SuitePaths paths, int metricsBasePort, DeviceChoice device, PrecisionChoice precision,
      ModelLoading modelLoading) throws IOException {
    this(paths, metricsBasePort, device, precision, modelLoading, GroupNormKernel.FUSED);
  }

  /**
   * As {@link #EmbeddedSuite(SuitePaths, int)}, the denoiser's networks on {@code device}, its and the trainer's
   * in {@code precision} (the commands' default, auto, is bf16 for the denoiser on a CPU with bf16 units and for the
   * trainer on one with AMX), the denoiser's models loading as {@code modelLoading} says (at start for a suite that
   * stays up, on request for one started for a single command) and running GroupNorm+SiLU as {@code groupNorm} says.
   */
  public EmbeddedSuite(SuitePaths paths, int metricsBasePort, DeviceChoice device, PrecisionChoice precision,
      ModelLoading modelLoading, GroupNormKernel groupNorm) throws IOException {
    if (metricsBasePort > 0) {
      requireMetricsBasePort(metricsBasePort);
    }
    // Loopback only, so plaintext and open; reflection lets grpcurl explore a local suite.
    Endpoint loopback = Endpoint.loopback().withSecurity(Security.NONE.withReflection(true));
    DenoiserConfig denoiserConfig = DenoiserConfig.of(metered(loopback, metricsBasePort, 1), paths.models())
        .withDevice(device).withPrecision(precision).withModelLoading(modelLoading).withGroupNorm(groupNorm);
    // The denoiser's start loads TensorFlow's natives (most of a second), which nothing in the scheduler's start
    // needs: the two start side by side.
    FutureTask<ServerRunner> denoiserStart = new FutureTask<>(() -> DenoiserServer.start(denoiserConfig));
    new Thread(denoiserStart, "denoiser-start").start();
    try {
      scheduler = started(SchedulerServer.start(new SchedulerConfig(metered(loopback, metricsBasePort, 0))));
    } catch (IOException | RuntimeException e) {
      // No server outlives a suite that failed to start, the denoiser included.
      try {
        finished(denoiserStart).close();
      } catch (IOException | RuntimeException denoiserFailure) {
        e.addSuppressed(denoiserFailure);
      }
      throw e;
    }
    try {
      denoiser = started(finished(denoiserStart));
      sampler = started(SamplerServer.start(
          SamplerConfig.of(metered(loopback, metricsBasePort, 2), denoiser.address(), scheduler.address())));
      trainer = started(TrainerServer.start(TrainerConfig.of(metered(loopback, metricsBasePort, 3),
          scheduler.address(), paths.models(), paths.data(), paths.work()).withPrecision(precision)));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The server {@code start} started, or the exception its start threw. */
  private static ServerRunner finished(FutureTask<ServerRunner> start) throws IOException {
    try {
      return start.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the denoiser started", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw (Error) e.getCause();
    }
  }

  /** A fixed base port: the four ports from it must exist. */
  public static int requireMetricsBasePort(int port) {
    if (port < 1 || port > MAX_METRICS_BASE_PORT) {
      throw new IllegalArgumentException("metrics-base-port: must be in [1, " + MAX_METRICS_BASE_PORT
          + "] (the services take it and the next three), got " + port);
    }
    return port;
  }

  /** The {@code offset}-th service's endpoint: no metrics port, a free one, or base + offset. */
  private static Endpoint metered(Endpoint loopback, int metricsBasePort, int offset) {
    return loopback.withMetricsPort(metricsBasePort <= 0 ? metricsBasePort : metricsBasePort + offset);
  }

  private ServerRunner started(ServerRunner server) {
    servers.add(server);
    return server;
  }

  public List<ServerRunner> servers() {
    return List.copyOf(servers);
  }

  public String schedulerAddress() {
    return scheduler.address();
  }

  public String denoiserAddress() {
    return denoiser.address();
  }

  public String samplerAddress() {
    return sampler.address();
  }

  public String trainerAddress() {
    return trainer.address();
  }

  /** Stops the services in reverse order of their dependencies: trainer and sampler before their peers. */
  @Override
  public void close() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      servers.get(i).close();
    }
    servers.clear();
  }

  /** Where the suite keeps its files: the model repository, data sets, and training work (checkpoints). */
  public record SuitePaths(Path models, Path data, Path work) {}
}
