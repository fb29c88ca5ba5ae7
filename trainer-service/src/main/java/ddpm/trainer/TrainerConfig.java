package ddpm.trainer;

import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;
import static ddpm.grpc.ConfigChecks.requireText;

import ddpm.grpc.Endpoint;
import ddpm.grpc.schedule.RemoteScheduleSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one trainer: where it listens (and serves its Prometheus metrics, if it does), the scheduler it
 * asks for coefficients (HOST:PORT, a list HOST:PORT,HOST:PORT of replicas, or any gRPC name such as
 * dns:///NAME:PORT, found as the sampler finds it: see ddpm.grpc.naming.PeerTarget; dialed with the endpoint's
 * channel credentials), the model repository it publishes to, the data root (each downloaded data set in
 * {@code <dataDir>/<dataset>/}, where its fetch script puts it), the folder for checkpoints and previews
 * ({@code <workDir>/<model>/ckpt-<step>}), and the deadline of one scheduler call (a job's schedule, fetched as
 * the job starts).
 */
public record TrainerConfig(Endpoint endpoint, String schedulerTarget, Path modelRepository, Path dataDir,
    Path workDir, Duration schedulerCallTimeout) {
  public TrainerConfig {
    requireSet(endpoint, "endpoint");
    requireText(schedulerTarget, "scheduler_target");
    requireSet(modelRepository, "model_repository");
    requireSet(dataDir, "data_dir");
    requireSet(workDir, "work_dir");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
  }

  /** With the default scheduler call timeout. */
  public static TrainerConfig of(Endpoint endpoint, String schedulerTarget, Path modelRepository, Path dataDir,
      Path workDir) {
    return new TrainerConfig(endpoint, schedulerTarget, modelRepository, dataDir, workDir,
        RemoteScheduleSource.DEFAULT_CALL_TIMEOUT);
  }
}
