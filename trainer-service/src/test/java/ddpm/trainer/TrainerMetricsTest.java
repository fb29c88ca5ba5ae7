package ddpm.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import ddpm.trainer.graph.FakeTrainingSession;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real trainer with its metrics endpoint on, running a three-step job on the built-in digits (with a stand-in network). */
class TrainerMetricsTest {
  private static final String TRAINER = "service=\"" + TrainerServiceGrpc.SERVICE_NAME + "\"";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void theModelsStepLossAndImagesAreThoseOfItsLastStep() throws Exception {
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    ServerRunner server = grpc.register(TrainerServer.start(TrainerConfig.of(
        Endpoint.loopback().withMetricsPort(0), scheduler.address(), dir.resolve("models"), dir.resolve("data"),
        dir.resolve("work")), FakeTrainingSession::new));
    var trainer = TrainerServiceGrpc.newBlockingStub(grpc.channelTo(server));
    StartTrainingRequest request = StartTrainingRequest.newBuilder()
        .setDataset("digits").setModelName("metered")
        .setNetwork(NetworkConfig.newBuilder().setBaseChannels(8))
        .setSteps(3).setBatchSize(16).setLearningRate(2e-3).setSeed(5)
        .setSchedule("linear").setTimesteps(100)
        .build();

    String job = trainer.startTraining(request).getJobId();
    List<TrainingEvent> events = new ArrayList<>();
    trainer.watchJob(WatchJobRequest.newBuilder().setJobId(job).build()).forEachRemaining(events::add);
    TrainingEvent last = events.get(events.size() - 1);
    assertEquals(JobState.SUCCEEDED, last.getFinished().getState());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> trainer.startTraining(request.toBuilder().setSteps(0).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());

    MetricsScrape scrape = MetricsScrape.of(server.metricsUrl().orElseThrow());
    assertEquals(3, scrape.value("ddpm_trainer_step{model=\"metered\"}"));
    double loss = scrape.value("ddpm_trainer_loss{model=\"metered\"}");
    assertEquals(last.getFinished().getLoss(), loss);
    assertTrue(loss > 0, "loss " + loss);
    assertEquals(3 * 16, scrape.value("ddpm_trainer_images_total{model=\"metered\"}"));
    assertEquals(1, scrape.value("ddpm_grpc_server_requests_total{code=\"OK\",method=\"StartTraining\"," + TRAINER + "}"));
    assertEquals(1, scrape.value(
        "ddpm_grpc_server_requests_total{code=\"INVALID_ARGUMENT\",method=\"StartTraining\"," + TRAINER + "}"));
    // The job's schedule, from the scheduler: a client call of the trainer's, answered at the first attempt.
    String getSchedule = "method=\"GetSchedule\",service=\"" + ScheduleServiceGrpc.SERVICE_NAME + "\",target=\""
        + scheduler.address() + "\"";
    assertEquals(1, scrape.value("ddpm_grpc_client_request_seconds_count{code=\"OK\"," + getSchedule + "}"));
    assertEquals(0, scrape.sum("ddpm_grpc_client_retries_total", labels -> labels.contains(getSchedule)));
  }
}
