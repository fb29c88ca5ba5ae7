package ddpm.cli;

import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.security.Security;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.tensorflow.DeviceChoice;
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
    this(paths, metrics, DeviceChoice.AUTO);
  }

  /** As {@link #EmbeddedSuite(SuitePaths, boolean)}, the denoiser's networks on {@code device}. */
  public EmbeddedSuite(SuitePaths paths, boolean metrics, DeviceChoice device) throws IOException {
    // Loopback only, so plaintext and open; reflection lets grpcurl explore a local suite.
    Endpoint loopback = Endpoint.loopback().withSecurity(Security.NONE.withReflection(true));
    Endpoint endpoint = metrics ? loopback.withMetricsPort(0) : loopback;
    try {
      scheduler = started(SchedulerServer.start(new SchedulerConfig(endpoint)));
      denoiser = started(DenoiserServer.start(DenoiserConfig.of(endpoint, paths.models()).withDevice(device)));
      sampler = started(SamplerServer.start(SamplerConfig.of(endpoint, denoiser.address(), scheduler.address())));
      trainer = started(TrainerServer.start(
          TrainerConfig.of(endpoint, scheduler.address(), paths.models(), paths.data(), paths.work())));
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
