package ddpm.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.CancelJobRequest;
import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc.TrainerServiceBlockingStub;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.scheduler.core.ScheduleCache;
import ddpm.scheduler.grpc.SchedulerGrpcService;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.SilentScheduler;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.trainer.graph.FakeTrainingSession;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real scheduler and trainer on loopback ports, driven through a blocking stub; the jobs train a pure-Java
 * stand-in for the network (TrainingEndToEndTest trains the real one).
 */
class TrainerServerTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;
  private TrainerServiceBlockingStub trainer;
  private ModelRepository repository;

  @BeforeEach
  void start() throws IOException {
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    repository = new ModelRepository(dir.resolve("models"));
    ServerRunner server = grpc.register(TrainerServer.start(TrainerConfig.of(
        Endpoint.loopback(), scheduler.address(), repository.root(), dir.resolve("data"), dir.resolve("work")),
        FakeTrainingSession::new));
    trainer = TrainerServiceGrpc.newBlockingStub(grpc.channelTo(server));
  }

  static StartTrainingRequest.Builder digits(String model, int steps) {
    return StartTrainingRequest.newBuilder()
        .setDataset("digits").setModelName(model)
        .setNetwork(NetworkConfig.newBuilder().setBaseChannels(8))
        .setSteps(steps).setBatchSize(16).setLearningRate(2e-3).setSeed(5)
        .setSchedule("linear").setTimesteps(100);
  }

  private Iterator<TrainingEvent> watch(String job) {
    return trainer.watchJob(WatchJobRequest.newBuilder().setJobId(job).build());
  }

  /**
   * A scheduler that never answers fails the job once the trainer's scheduler call timeout has passed, long
   * before the default 30 s: the job ends FAILED with DEADLINE_EXCEEDED.
   */
  @Test
  void aSchedulerThatNeverAnswersFailsTheJobWithDeadlineExceeded() throws Exception {
    Duration timeout = Duration.ofMillis(200);
    SilentScheduler silent = new SilentScheduler();
    ServerRunner scheduler = grpc.register(ServerRunner.start("scheduler", Endpoint.loopback(), List.of(silent)));
    TrainerServiceBlockingStub stub = trainerUsing(scheduler.address(), timeout);

    TrainingJob finished = finish(stub, stub.startTraining(digits("unscheduled", 10).build()).getJobId());

    assertEquals(JobState.FAILED, finished.getState());
    assertTrue(finished.getError().contains("DEADLINE_EXCEEDED"), finished.getError());
    Long left = silent.millisLeftOnArrival.poll(30, TimeUnit.SECONDS);
    assertTrue(left != null, "the scheduler was never called");
    assertTrue(left <= timeout.toMillis(), "the scheduler call arrived with " + left + " ms left");
  }

  /**
   * The scheduler refuses the job's first two calls with UNAVAILABLE, as one that is restarting does: the job
   * asks again with backoff, gets its schedule on the third call, and trains.
   */
  @Test
  void aJobAsksARestartingSchedulerAgainUntilItAnswers() throws Exception {
    RestartingScheduler restarting = new RestartingScheduler(2);
    ServerRunner scheduler =
        grpc.register(ServerRunner.start("scheduler", Endpoint.loopback(), List.of(restarting)));
    TrainerServiceBlockingStub stub = trainerUsing(scheduler.address(), RemoteScheduleSource.DEFAULT_CALL_TIMEOUT);

    TrainingJob finished = finish(stub, stub.startTraining(digits("rescheduled", 3).build()).getJobId());

    assertEquals(JobState.SUCCEEDED, finished.getState(), finished.getError());
    assertEquals(3, restarting.calls.get());
  }

  /** A scheduler that stays down fails the job within its scheduler timeout, UNAVAILABLE naming the scheduler. */
  @Test
  void aSchedulerThatStaysDownFailsTheJobUnavailableNamingIt() throws Exception {
    ServerRunner scheduler = SchedulerServer.start(new SchedulerConfig(Endpoint.loopback()));
    String address = scheduler.address();
    scheduler.close();
    TrainerServiceBlockingStub stub = trainerUsing(address, Duration.ofSeconds(1));

    TrainingJob finished = finish(stub, stub.startTraining(digits("unscheduled", 3).build()).getJobId());

    assertEquals(JobState.FAILED, finished.getState());
    assertTrue(finished.getError().startsWith("schedule: the scheduler gave no schedule: UNAVAILABLE: scheduler: "),
        finished.getError());
  }

  /** Answers UNAVAILABLE to its first {@code refusals} calls, then as the real scheduler does. */
  private static final class RestartingScheduler extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();
    private final int refusals;
    private final SchedulerGrpcService started = new SchedulerGrpcService(new ScheduleCache());

    RestartingScheduler(int refusals) {
      this.refusals = refusals;
    }

    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      if (calls.incrementAndGet() <= refusals) {
        observer.onError(Status.UNAVAILABLE.withDescription("starting").asRuntimeException());
      } else {
        started.getSchedule(request, observer);
      }
    }
  }

  private TrainerServiceBlockingStub trainerUsing(String scheduler, Duration schedulerTimeout) throws IOException {
    ServerRunner server = grpc.register(TrainerServer.start(new TrainerConfig(Endpoint.loopback(), scheduler,
        repository.root(), dir.resolve("data"), dir.resolve("work"), schedulerTimeout, TrainerConfig.defaultMemoryBudget(),
        PrecisionChoice.FP32),
        FakeTrainingSession::new));
    return TrainerServiceGrpc.newBlockingStub(grpc.channelTo(server));
  }

  /** The job's last event: how it finished. */
  private static TrainingJob finish(TrainerServiceBlockingStub stub, String job) {
    List<TrainingEvent> events = new ArrayList<>();
    stub.withDeadlineAfter(2, TimeUnit.MINUTES).watchJob(WatchJobRequest.newBuilder().setJobId(job).build())
        .forEachRemaining(events::add);
    return events.get(events.size() - 1).getFinished();
  }

  @Test
  void cancellingARunningJobStopsItWithoutExporting() {
    String job = trainer.startTraining(digits("cancelled", 10_000_000).build()).getJobId();
    Iterator<TrainingEvent> events = watch(job);
    assertTrue(events.next().hasStep(), "the job started");
    trainer.cancelJob(CancelJobRequest.newBuilder().setJobId(job).build());

    TrainingEvent last = null;
    while (events.hasNext()) {
      last = events.next();
      assertFalse(last.hasExport(), "a cancelled job exports nothing");
    }
    assertEquals(JobState.CANCELLED, last.getFinished().getState());
    assertEquals(JobState.CANCELLED, trainer.getJob(GetJobRequest.newBuilder().setJobId(job).build()).getState());
    assertEquals(List.of(), repository.versions("cancelled"));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        bad("dataset", b -> b.setDataset("cifar10")),
        bad("model_name", b -> b.setModelName("../escape")),
        bad("network.architecture", b -> b.setNetwork(NetworkConfig.newBuilder().setArchitecture("transformer"))),
        bad("network.base_channels", b -> b.setNetwork(NetworkConfig.newBuilder().setBaseChannels(3))),
        bad("network.base_channels", b -> b.setNetwork(NetworkConfig.newBuilder().setBaseChannels(257))),
        bad("steps", b -> b.setSteps(0)),
        bad("steps", b -> b.setSteps(10_000_001)),
        bad("batch_size", b -> b.setBatchSize(0)),
        bad("batch_size", b -> b.setBatchSize(4097)),
        bad("learning_rate", b -> b.setLearningRate(0)),
        bad("learning_rate", b -> b.setLearningRate(1.5)),
        bad("learning_rate", b -> b.setLearningRate(Double.NaN)),
        bad("schedule", b -> b.setSchedule("quadratic")),
        bad("schedule", b -> b.setSchedule("")),
        bad("timesteps", b -> b.setTimesteps(100_001)),
        bad("timesteps", b -> b.setTimesteps(-1)),
        bad("checkpoint_every", b -> b.setCheckpointEvery(-1)),
        bad("network.channel_mult", b -> b.setNetwork(NetworkConfig.newBuilder().addAllChannelMult(List.of(1, 0)))),
        bad("network.channel_mult", b -> b.setNetwork(NetworkConfig.newBuilder().addAllChannelMult(List.of(1, 9)))),
        bad("network.channel_mult", b -> b.setNetwork(NetworkConfig.newBuilder()
            .addAllChannelMult(List.of(1, 1, 1, 1, 1, 1)))),
        bad("network.channel_mult", b -> b.setNetwork(NetworkConfig.newBuilder()
            .addAllChannelMult(List.of(1, 1, 1, 1, 1)))),
        bad("network.channel_mult", b -> b.setNetwork(NetworkConfig.newBuilder().setArchitecture("conv")
            .addChannelMult(1))),
        bad("network.num_res_blocks", b -> b.setNetwork(NetworkConfig.newBuilder().setNumResBlocks(5))),
        bad("network.attention_resolutions", b -> b.setNetwork(NetworkConfig.newBuilder().addAttentionResolutions(3))),
        bad("network.dropout", b -> b.setNetwork(NetworkConfig.newBuilder().setDropout(1.0))),
        bad("network.dropout", b -> b.setNetwork(NetworkConfig.newBuilder().setDropout(-0.1))),
        bad("ema_decay", b -> b.setEmaDecay(1.0)),
        bad("ema_decay", b -> b.setEmaDecay(-0.5)),
        bad("warmup_steps", b -> b.setWarmupSteps(-1)),
        bad("grad_clip_norm", b -> b.setGradClipNorm(-1)),
        bad("grad_clip_norm", b -> b.setGradClipNorm(Double.POSITIVE_INFINITY)),
        bad("init_from_model", b -> b.setInitFromModel("../digits")),
        bad("init_from_version", b -> b.setInitFromVersion(2)),
        bad("init_from_version", b -> b.setInitFromModel("digits").setInitFromVersion(-1)),
        bad("label_dropout", b -> b.setLabelDropout(0.2)),
        bad("label_dropout", b -> b.setClassCond(true).setLabelDropout(1.0)),
        bad("label_dropout", b -> b.setClassCond(true).setLabelDropout(-0.1)),
        bad("p2_gamma", b -> b.setP2Gamma(-1)),
        bad("p2_gamma", b -> b.setP2Gamma(Double.NaN)),
        bad("p2_k", b -> b.setP2K(1)),
        bad("p2_k", b -> b.setP2Gamma(1).setP2K(0)),
        bad("network.num_classes", b -> b.setNetwork(NetworkConfig.newBuilder().setNumClasses(10))),
        bad("network.num_classes", b -> b.setClassCond(true).setNetwork(NetworkConfig.newBuilder().setNumClasses(3))));
  }

  private static Arguments bad(String field, UnaryOperator<StartTrainingRequest.Builder> change) {
    return Arguments.of(field, change.apply(digits("ok", 10)).build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIsInvalidArgumentNamingTheField(String field, StartTrainingRequest request) {
    String refusal = refusal(request, Status.Code.INVALID_ARGUMENT);
    assertTrue(refusal.startsWith(field), refusal);
  }

  @Test
  void classCondOnADataSetWithoutLabelsIsInvalidArgumentNamingClassCond() throws IOException {
    PngFolders.write(dir.resolve("data").resolve("flat"), "a.png", "b.png");
    String refusal = refusal(digits("ok", 10).setDataset("folder:flat").setClassCond(true).build(),
        Status.Code.INVALID_ARGUMENT);
    assertTrue(refusal.startsWith("class_cond: data set folder:flat has no labels"), refusal);
  }

  /** The description of the status {@code request} is refused with, once the code is known to be {@code code}. */
  private String refusal(StartTrainingRequest request, Status.Code code) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> trainer.startTraining(request));
    assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
    return e.getStatus().getDescription();
  }

  @Test
  void mnistWithoutTheDownloadIsAFailedPreconditionNamingTheFetchScript() {
    String refusal = refusal(digits("mnist-model", 10).setDataset("mnist").build(), Status.Code.FAILED_PRECONDITION);
    assertTrue(refusal.contains("scripts/fetch-mnist.sh"), refusal);
  }

  @Test
  void resumingAModelWithoutCheckpointsIsAFailedPrecondition() {
    String refusal = refusal(digits("never-trained", 10).setResume(true).build(), Status.Code.FAILED_PRECONDITION);
    assertTrue(refusal.startsWith("resume:"), refusal);
  }

  @Test
  void startingFromAModelThatIsNotPublishedIsNotFoundNamingTheField() {
    String refusal = refusal(digits("tuned", 10).setInitFromModel("never-published").build(), Status.Code.NOT_FOUND);
    assertTrue(refusal.startsWith("init_from_model:"), refusal);
  }

  @Test
  void unknownJobsAreNotFound() {
    String id = "no-such-job";
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
        () -> trainer.getJob(GetJobRequest.newBuilder().setJobId(id).build())).getStatus().getCode());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
        () -> trainer.cancelJob(CancelJobRequest.newBuilder().setJobId(id).build())).getStatus().getCode());
    assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
        () -> watch(id).hasNext()).getStatus().getCode());
  }
}
