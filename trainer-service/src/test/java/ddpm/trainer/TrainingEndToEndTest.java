package ddpm.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ddpm.api.v1.GetJobRequest;
import ddpm.api.v1.JobState;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainerServiceGrpc.TrainerServiceBlockingStub;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.TrainingJob;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.EpsContract;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.tensorflow.PrecisionChoice;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The one test that trains with TensorFlow through the whole service: a request over gRPC, 30 steps of a small
 * U-Net on the digits with checkpoints and previews, and a published SavedModel that serves ε̂. The other tests
 * of the service train a stand-in (TrainerServerTest, DdpmTrainerTest).
 */
@Slow
class TrainingEndToEndTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void trainsCheckpointsAndPublishesAVersionThatServes() throws IOException {
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    ModelRepository repository = new ModelRepository(dir.resolve("models"));
    // The commands' precision, auto: bf16 where this CPU has AMX, fp32 elsewhere; the card says which ran.
    ServerRunner server = grpc.register(TrainerServer.start(TrainerConfig.of(
        Endpoint.loopback(), scheduler.address(), repository.root(), dir.resolve("data"), dir.resolve("work"))
        .withPrecision(PrecisionChoice.AUTO)));
    TrainerServiceBlockingStub trainer = TrainerServiceGrpc.newBlockingStub(grpc.channelTo(server));
    String job = trainer.startTraining(TrainerServerTest.digits("tiny-digits", 30).setCheckpointEvery(10).build()).getJobId();

    List<TrainingEvent> events = new ArrayList<>();
    trainer.watchJob(WatchJobRequest.newBuilder().setJobId(job).build()).forEachRemaining(events::add);

    List<Integer> steps = events.stream().filter(TrainingEvent::hasStep).map(e -> e.getStep().getStep()).toList();
    assertEquals(30, steps.size());
    assertEquals(1, steps.get(0));
    assertEquals(30, steps.get(29));
    assertTrue(events.stream().filter(TrainingEvent::hasStep).allMatch(e -> e.getStep().getImagesPerSecond() > 0
        && e.getStep().getStepsPerSecond() > 0 && e.getStep().getLearningRate() == 2e-3));
    List<Integer> checkpoints = events.stream().filter(TrainingEvent::hasCheckpoint)
        .map(e -> e.getCheckpoint().getStep()).toList();
    assertEquals(List.of(10, 20, 30), checkpoints);
    for (TrainingEvent e : events) {
      if (e.hasCheckpoint()) {
        // Relative to the work folder: a client learns nothing of the server's paths.
        Path work = dir.resolve("work");
        assertEquals("tiny-digits/ckpt-" + e.getCheckpoint().getStep(), e.getCheckpoint().getPath());
        assertTrue(Files.exists(work.resolve(e.getCheckpoint().getPath()).resolve("variables.index")));
        assertTrue(Files.exists(work.resolve(e.getCheckpoint().getLossCurve())), e.getCheckpoint().getLossCurve());
        assertTrue(Files.exists(work.resolve(e.getCheckpoint().getSampleGrid())), e.getCheckpoint().getSampleGrid());
      }
    }

    TrainingEvent export = events.stream().filter(TrainingEvent::hasExport).findFirst().orElseThrow();
    assertEquals(1, export.getExport().getVersion());
    TrainingEvent last = events.get(events.size() - 1);
    assertTrue(last.hasFinished(), "the last event is finished");
    assertEquals(JobState.SUCCEEDED, last.getFinished().getState());
    assertEquals(1, last.getFinished().getExportedVersion());

    assertEquals(List.of(1L), repository.versions("tiny-digits"));
    Path version = repository.versionDir("tiny-digits", 1);
    assertEquals("tiny-digits/1", export.getExport().getPath(), "relative to the repository");
    assertTrue(Files.exists(version.resolve("saved_model.pb")));
    ModelCard card = repository.card("tiny-digits", 1);
    assertEquals(List.of(8, 8, 1), card.imageShape());
    assertEquals(100, card.timesteps());
    assertEquals("linear", card.schedule());
    assertEquals(EpsContract.PREDICTION, card.prediction());
    assertEquals(EpsContract.TENSORFLOW_SAVED_MODEL,
        JsonParser.parseString(Files.readString(version.resolve(ModelCard.FILE_NAME))).getAsJsonObject()
            .get("format").getAsString(), "the published model.json names its format");
    JsonObject network = card.details().getAsJsonObject("network");
    assertEquals("unet", network.get("architecture").getAsString());
    assertEquals(8, network.get("base_channels").getAsInt());
    assertEquals("[1,2,2]", network.get("channel_mult").toString());
    assertEquals("[2]", network.get("attention_resolutions").toString(), "the lowest of the levels 8, 4, 2");
    assertEquals(0.1, network.get("dropout").getAsDouble());
    JsonObject training = card.details().getAsJsonObject("training");
    assertEquals("digits", training.get("dataset").getAsString());
    assertEquals(30, training.get("steps").getAsInt());
    assertEquals(last.getFinished().getLoss(), training.get("final_loss").getAsDouble());
    assertEquals(PrecisionChoice.AUTO.selectForTraining("--precision").label(),
        training.get("precision").getAsString());

    TrainingJob status = trainer.getJob(GetJobRequest.newBuilder().setJobId(job).build());
    assertEquals(JobState.SUCCEEDED, status.getState());
    assertEquals(30, status.getStep());
    assertEquals("unet", status.getRequest().getNetwork().getArchitecture(), "the request as run, defaults filled in");
    assertEquals(List.of(2), status.getRequest().getNetwork().getAttentionResolutionsList());
    assertEquals(0.999, status.getRequest().getEmaDecay());
    assertServes(version);
  }

  /** The SavedModel's serving_default maps x_t [N, 8, 8, 1] and t [N] to a finite ε̂ of x_t's shape, not all 0. */
  private static void assertServes(Path version) {
    int n = 3;
    float[] xt = new float[n * 64];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < xt.length; i++) {
      xt[i] = (float) random.nextGaussian();
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(version.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 xtTensor = TFloat32.tensorOf(Shape.of(n, 8, 8, 1), DataBuffers.of(xt, true, false));
        TInt32 tTensor = TInt32.vectorOf(0, 50, 99);
        Result result = bundle.function(EpsContract.SIGNATURE_KEY)
            .call(Map.<String, Tensor>of(EpsContract.X_T, xtTensor, EpsContract.T, tTensor))) {
      TFloat32 eps = (TFloat32) result.get(EpsContract.EPS).orElseThrow();
      assertEquals(Shape.of(n, 8, 8, 1), eps.shape());
      float[] values = new float[n * 64];
      eps.copyTo(DataBuffers.of(values, false, false));
      float largest = 0;
      for (float v : values) {
        assertTrue(Float.isFinite(v), "ε̂ " + v);
        largest = Math.max(largest, Math.abs(v));
      }
      assertTrue(largest > 0, "the trained network predicts 0 everywhere");
    }
  }
}
