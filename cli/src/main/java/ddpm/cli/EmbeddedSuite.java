package ddpm.cli;

import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.trainer.TrainerConfig;
import ddpm.trainer.TrainerServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four services in one JVM, each on its own loopback port and talking to the others over gRPC exactly
 * as separate processes would. It is what every command uses when no --target is given.
 */
public final class EmbeddedSuite implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";

  private final List<ServerRunner> servers = new ArrayList<>();
  private final ServerRunner scheduler;
  private final ServerRunner denoiser;
  private final ServerRunner sampler;
  private final ServerRunner trainer;

  /** Without metrics. */
  public EmbeddedSuite(SuitePaths paths) throws IOException {
    this(paths, false);
  }

  /** With {@code metrics}, each service also serves its Prometheus metrics on a free loopback port. */
  public EmbeddedSuite(SuitePaths paths, boolean metrics) throws IOException {
    int metricsPort = metrics ? 0 : ServerRunner.NO_METRICS;
    try {
      scheduler = started(SchedulerServer.start(new SchedulerConfig(LOOPBACK, 0, metricsPort)));
      denoiser = started(DenoiserServer.start(
          new DenoiserConfig(LOOPBACK, 0, paths.models()).withMetricsPort(metricsPort)));
      sampler = started(SamplerServer.start(new SamplerConfig(LOOPBACK, 0, denoiser.address(), scheduler.address(),
          SamplerConfig.DEFAULT_MAX_IMAGES, SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT,
          RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, metricsPort)));
      trainer = started(TrainerServer.start(new TrainerConfig(
          LOOPBACK, 0, scheduler.address(), paths.models(), paths.data(), paths.work(), metricsPort)));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
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
