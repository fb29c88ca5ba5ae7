package ddpm.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc.TrainerServiceBlockingStub;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.WatchJobRequest;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.tensorflow.Precision;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import ddpm.trainer.graph.EpsNetConfig;
import ddpm.trainer.graph.FakeTrainingSession;
import ddpm.trainer.graph.TrainingSession;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer with a 4 GiB memory budget, on loopback, whose jobs train {@link FakeTrainingSession}s that the test
 * can hold in the middle of a step: what is refused before it starts, and how soon CancelJob stops a job.
 */
class JobLimitsTest {
  private static final long BUDGET = 4L << 30;
  /** The step of every job that waits, once begun, until the test releases it. */
  private static final int HELD_STEP = 3;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  private final AtomicInteger sessionsOpened = new AtomicInteger();
  private final AtomicInteger stepsBegun = new AtomicInteger();
  private final CountDownLatch heldStepBegun = new CountDownLatch(1);
  private final CountDownLatch releaseHeldStep = new CountDownLatch(1);
  private final CountDownLatch sessionClosed = new CountDownLatch(1);
  private TrainerServiceBlockingStub trainer;

  @BeforeEach
  void start() throws IOException {
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    ServerRunner server = grpc.register(TrainerServer.start(TrainerConfig.of(Endpoint.loopback(), scheduler.address(),
        dir.resolve("models"), dir.resolve("data"), dir.resolve("work")).withMemoryBudget(BUDGET), this::open));
    trainer = TrainerServiceGrpc.newBlockingStub(grpc.channelTo(server));
  }

  private static StartTrainingRequest.Builder digits(int baseChannels, int batchSize, int steps) {
    return StartTrainingRequest.newBuilder()
        .setDataset("digits").setModelName("m")
        .setNetwork(NetworkConfig.newBuilder().setBaseChannels(baseChannels))
        .setSteps(steps).setBatchSize(batchSize).setLearningRate(1e-3)
        .setSchedule("linear").setTimesteps(100);
  }

  /** The job (C = 256, batch 4096) is RESOURCE_EXHAUSTED when submitted, and no session is ever opened. */
  @Test
  void aJobAboveTheMemoryBudgetIsRefusedBeforeItStartsNamingItsFields() {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> trainer.startTraining(digits(256, 4096, 10).build()));

    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
    String message = refused.getStatus().getDescription();
    assertTrue(message.startsWith("batch_size: 4096 images"), message);
    assertTrue(message.contains("network.base_channels 256"), message);
    assertTrue(message.contains("memory budget of 4.0 GiB"), message);
    assertEquals(0, sessionsOpened.get());
  }

  @Test
  void aJobWithinTheBudgetRuns() {
    releaseHeldStep.countDown();
    String job = trainer.startTraining(digits(8, 16, HELD_STEP + 1).build()).getJobId();

    assertEquals(JobState.SUCCEEDED, finished(events(job)).getFinished().getState());
    assertEquals(HELD_STEP + 1, stepsBegun.get());
  }

  /**
   * CancelJob sent while step 3 runs: step 3 ends, no step 4 begins, the job ends CANCELLED and its session is
   * closed. A step is the unit of cancellation, which is why the memory budget, bounding a step, matters.
   */
  @Test
  void cancelJobTakesEffectWithinOneStepAndClosesTheSession() {
    String job = trainer.startTraining(digits(8, 16, 1_000_000).build()).getJobId();
    Latches.await(heldStepBegun);

    trainer.cancelJob(CancelJobRequest.newBuilder().setJobId(job).build());
    releaseHeldStep.countDown();

    List<TrainingEvent> events = events(job);
    assertEquals(JobState.CANCELLED, finished(events).getFinished().getState());
    List<Integer> steps = events.stream().filter(TrainingEvent::hasStep).map(e -> e.getStep().getStep()).toList();
    assertEquals(List.of(1, 2, HELD_STEP), steps);
    assertEquals(HELD_STEP, stepsBegun.get(), "no step began after CancelJob");
    Latches.await(sessionClosed);
  }

  private List<TrainingEvent> events(String job) {
    List<TrainingEvent> events = new ArrayList<>();
    trainer.watchJob(WatchJobRequest.newBuilder().setJobId(job).build()).forEachRemaining(events::add);
    return events;
  }

  private static TrainingEvent finished(List<TrainingEvent> events) {
    return events.get(events.size() - 1);
  }

  private TrainingSession open(ImageShape shape, EpsNetConfig config, NoiseSchedule schedule,
      TrainingSession.Optimization optimization, long seed) {
    sessionsOpened.incrementAndGet();
    return new HeldSession(new FakeTrainingSession(shape, config, schedule, optimization, seed));
  }

  /** The fake session, with step {@link #HELD_STEP} held until the test releases it; tells when it is closed. */
  private final class HeldSession implements TrainingSession {
    private final FakeTrainingSession session;

    HeldSession(FakeTrainingSession session) {
      this.session = session;
    }

    @Override
    public float trainStep(float[] x0Batch, int[] timesteps, float[] noise, int[] labels, int stepNumber,
      double rate) {
      stepsBegun.incrementAndGet();
      if (stepNumber == HELD_STEP) {
        heldStepBegun.countDown();
        Latches.await(releaseHeldStep);
      }
      return session.trainStep(x0Batch, timesteps, noise, labels, stepNumber, rate);
    }

    @Override
    public float[] predict(float[] xtBatch, int[] timesteps) {
      return session.predict(xtBatch, timesteps);
    }

    @Override
    public void saveVariables(Path prefix) {
      session.saveVariables(prefix);
    }

    @Override
    public void restoreVariables(Path prefix) {
      session.restoreVariables(prefix);
    }

    @Override
    public void startFrom(Path savedModel) {
      session.startFrom(savedModel);
    }

    @Override
    public void export(Path dir) throws IOException {
      session.export(dir);
    }

    @Override
    public ImageShape imageShape() {
      return session.imageShape();
    }

    @Override
    public Precision precision() {
      return session.precision();
    }

    @Override
    public void close() {
      session.close();
      sessionClosed.countDown();
    }
  }
}
