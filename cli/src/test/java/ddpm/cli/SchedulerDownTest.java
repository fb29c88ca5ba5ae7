package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import ddpm.repository.ModelRepository;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.SampleEvents;
import ddpm.testing.Slow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler process down (SIGKILL, or not yet started): a sampler keeps serving the schedules it has
 * fetched, and a training job that finds no scheduler waits for one instead of failing.
 */
@Slow
class SchedulerDownTest {
  private static final String MODEL = "gauss";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  private final ServedProcesses processes = new ServedProcesses(grpc);
  @TempDir Path dir;

  /**
   * With the scheduler killed, a request for a step count the sampler has sampled before gets the images it got
   * then; one for a schedule it never fetched is UNAVAILABLE naming the scheduler, once --scheduler-timeout
   * has passed.
   */
  @Test
  void aSamplerServesTheSchedulesItKnowsWhileTheSchedulerIsDown() throws Exception {
    Path models = ServedProcesses.publishGaussian(dir, MODEL);
    ServiceProcess scheduler = processes.serve("scheduler");
    ServiceProcess denoiser = processes.serve("denoiser", "--models", models.toString());
    ServiceProcess sampler = processes.serve("sampler", "--scheduler", scheduler.address(),
        "--denoiser", denoiser.address(), "--scheduler-timeout", "3");
    ServedProcesses.awaitServing(scheduler, denoiser, sampler);
    byte[] before = images(sampler, 50);

    scheduler.kill();

    assertArrayEquals(before, images(sampler, 50));
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> images(sampler, 40));
    assertEquals(Status.Code.UNAVAILABLE, unknown.getStatus().getCode(), unknown.toString());
    assertTrue(unknown.getStatus().getDescription().contains("scheduler"), unknown.toString());
    System.out.println("scheduler killed: a known schedule (K=50) still sampled the same images; an unknown one"
        + " (K=40): " + unknown.getStatus());
  }

  /**
   * A trainer whose scheduler address answers nothing yet (a port that accepts and hangs up, then nothing): the
   * job's schedule call is retried with backoff, and once a scheduler process listens on that port the job
   * trains and publishes.
   */
  @Test
  void aTrainingJobWaitsForASchedulerThatIsNotUpYet() throws Exception {
    TrainerServiceGrpc.TrainerServiceBlockingStub trainer;
    String port;
    String job;
    try (ServerSocket noScheduler = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      port = Integer.toString(noScheduler.getLocalPort());
      noScheduler.setSoTimeout((int) ServedProcesses.PATIENCE.toMillis());
      ServiceProcess trainerProcess = processes.serve("trainer", "--scheduler", "127.0.0.1:" + port,
          "--models", dir.resolve("models").toString(), "--work", dir.resolve("work").toString(),
          "--scheduler-timeout", "120");
      ServedProcesses.awaitServing(trainerProcess);
      trainer = TrainerServiceGrpc.newBlockingStub(processes.channelTo(trainerProcess));
      job = trainer.withDeadlineAfter(1, TimeUnit.MINUTES).startTraining(StartTrainingRequest.newBuilder()
          .setDataset("digits").setModelName("digits-tiny").setNetwork(NetworkConfig.newBuilder().setBaseChannels(8))
          .setSteps(2).setBatchSize(8).setLearningRate(1e-3).setSeed(3).setSchedule("linear").setTimesteps(100)
          .build()).getJobId();
      // The trainer makes no scheduler call but the job's, so this connection is the job asking for its schedule.
      try (Socket asked = noScheduler.accept()) {
        assertTrue(asked.isConnected());
      }
    }
    assertEquals(JobState.RUNNING, state(trainer, job), "the job failed while no scheduler answered");

    processes.serve("scheduler", "--port", port);
    TrainingJob finished = awaitEnd(trainer, job);

    assertEquals(JobState.SUCCEEDED, finished.getState(), finished.getError());
    assertEquals(1, new ModelRepository(dir.resolve("models")).versions("digits-tiny").size());
  }

  private byte[] images(ServiceProcess sampler, int steps) {
    return SampleEvents.images(processes.sample(sampler, SampleRequest.newBuilder().setModel(MODEL).setSteps(steps)
        .setNumImages(4).setSeed(7).build()));
  }

  private static JobState state(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String job) {
    return trainer.withDeadlineAfter(1, TimeUnit.MINUTES).getJob(GetJobRequest.newBuilder().setJobId(job).build())
        .getState();
  }

  private static TrainingJob awaitEnd(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String job) {
    Iterator<TrainingEvent> events = trainer.withDeadlineAfter(ServedProcesses.PATIENCE.toMillis(),
        TimeUnit.MILLISECONDS).watchJob(WatchJobRequest.newBuilder().setJobId(job).build());
    while (events.hasNext()) {
      events.next();
    }
    return trainer.withDeadlineAfter(1, TimeUnit.MINUTES).getJob(GetJobRequest.newBuilder().setJobId(job).build());
  }
}
