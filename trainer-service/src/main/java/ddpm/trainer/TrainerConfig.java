package ddpm.trainer;

import static ddpm.grpc.ConfigChecks.requireAtLeast;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;
import static ddpm.grpc.ConfigChecks.requireText;

import com.sun.management.OperatingSystemMXBean;
import ddpm.grpc.Endpoint;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.tensorflow.PrecisionChoice;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one trainer: where it listens (and serves its Prometheus metrics, if it does), the scheduler it
 * asks for coefficients (HOST:PORT, a list HOST:PORT,HOST:PORT of replicas, or any gRPC name such as
 * dns:///NAME:PORT, found as the sampler finds it: see ddpm.grpc.naming.PeerTarget; dialed with the endpoint's
 * channel credentials), the model repository it publishes to, the data root (each downloaded data set in
 * {@code <dataDir>/<dataset>/}, where its fetch script puts it), the folder for checkpoints and previews
 * ({@code <workDir>/<model>/ckpt-<step>}), the deadline of one scheduler call (a job's schedule, fetched as
 * the job starts), the most memory one job may take by the trainer's estimate
 * ({@link ddpm.trainer.graph.StepMemory}), in bytes, and the precision its networks train in (chosen for this CPU
 * as the server starts: {@link PrecisionChoice#selectForTraining}).
 */
public record TrainerConfig(Endpoint endpoint, String schedulerTarget, Path modelRepository, Path dataDir,
    Path workDir, Duration schedulerCallTimeout, long memoryBudget, PrecisionChoice precision) {
  public TrainerConfig {
    requireSet(endpoint, "endpoint");
    requireText(schedulerTarget, "scheduler_target");
    requireSet(modelRepository, "model_repository");
    requireSet(dataDir, "data_dir");
    requireSet(workDir, "work_dir");
    requirePositive(schedulerCallTimeout, "scheduler_call_timeout");
    requireAtLeast(memoryBudget, 1, "memory_budget");
    requireSet(precision, "precision");
  }

  /**
   * With the default scheduler call timeout and memory budget, in fp32 on every CPU, so that a run is the same run
   * on any machine (the commands' default, auto, comes with {@link #withPrecision}).
   */
  public static TrainerConfig of(Endpoint endpoint, String schedulerTarget, Path modelRepository, Path dataDir,
      Path workDir) {
    return new TrainerConfig(endpoint, schedulerTarget, modelRepository, dataDir, workDir,
        RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, defaultMemoryBudget(), PrecisionChoice.FP32);
  }

  public TrainerConfig withMemoryBudget(long bytes) {
    return new TrainerConfig(endpoint, schedulerTarget, modelRepository, dataDir, workDir, schedulerCallTimeout,
        bytes, precision);
  }

  public TrainerConfig withPrecision(PrecisionChoice choice) {
    return new TrainerConfig(endpoint, schedulerTarget, modelRepository, dataDir, workDir, schedulerCallTimeout,
        memoryBudget, choice);
  }

  /**
   * Half of the memory of the machine, or of the container's limit where there is one (as the JVM sees it):
   * the rest is for the JVM's heap (a quarter of it by default, where the training images are), TensorFlow's
   * runtime and the system.
   */
  public static long defaultMemoryBudget() {
    OperatingSystemMXBean system = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return system.getTotalMemorySize() / 2;
  }
}
