package ddpm.trainer;

import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;
import static ddpm.grpc.ConfigChecks.requireText;

import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one trainer: where it listens, the scheduler it asks for coefficients (HOST:PORT, a list
 * HOST:PORT,HOST:PORT of replicas, or any gRPC name such as dns:///NAME:PORT, found as the sampler finds
 * it: see ddpm.grpc.naming.PeerTarget), the model repository it publishes to, the data root (each downloaded
 * data set in {@code <dataDir>/<dataset>/}, where its fetch script puts it), the folder for checkpoints and previews
 * ({@code <workDir>/<model>/ckpt-<step>}), the deadline of one scheduler call (a job's schedule, fetched as
 * the job starts), and the port of its Prometheus metrics ({@link ServerRunner#NO_METRICS}: none).
 */
public record TrainerConfig(String host, int port, String schedulerTarget, Path modelRepository, Path dataDir,
    Path workDir, Duration schedulerCallTimeout, int metricsPort) {
  public TrainerConfig {
    requireText(schedulerTarget, "scheduler_target");
    requireSet(modelRepository, "model_repository");
    requireSet(dataDir, "data_dir");
    requireSet(workDir, "work_dir");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
  }

  /** With the default scheduler call timeout. */
  public TrainerConfig(String host, int port, String schedulerTarget, Path modelRepository, Path dataDir,
      Path workDir, int metricsPort) {
    this(host, port, schedulerTarget, modelRepository, dataDir, workDir, RemoteScheduleSource.DEFAULT_CALL_TIMEOUT,
        metricsPort);
  }

  /** With the default scheduler call timeout and without metrics. */
  public TrainerConfig(
      String host, int port, String schedulerTarget, Path modelRepository, Path dataDir, Path workDir) {
    this(host, port, schedulerTarget, modelRepository, dataDir, workDir, ServerRunner.NO_METRICS);
  }
}
