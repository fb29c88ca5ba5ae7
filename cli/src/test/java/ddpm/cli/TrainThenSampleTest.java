package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.JobState;
import ddpm.api.v1.NetworkConfig;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.StartTrainingRequest;
import ddpm.api.v1.TrainerServiceGrpc;
import ddpm.api.v1.TrainingEvent;
import ddpm.api.v1.WatchJobRequest;
import ddpm.grpc.Channels;
import ddpm.grpc.TensorCodec;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Slow;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product in one test: the trainer learns the digits through the scheduler's coefficients,
 * publishes a SavedModel, the denoiser serves it, and the sampler draws images from it, all over gRPC.
 */
@Slow
class TrainThenSampleTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void aTrainedDigitsModelIsServedAndSampled() throws Exception {
    EmbeddedSuite suite = grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(dir.resolve("models"), dir.resolve("data"), dir.resolve("work"))));
    ManagedChannel trainerChannel = grpc.register(Channels.plaintext(suite.trainerAddress()));
    var trainer = TrainerServiceGrpc.newBlockingStub(trainerChannel);

    String job = trainer.startTraining(StartTrainingRequest.newBuilder()
        .setDataset("digits").setModelName("digits").setSteps(300).setBatchSize(32).setLearningRate(2e-3)
        .setSeed(1).setSchedule("linear").setTimesteps(200).setEmaDecay(0.9)
        .setNetwork(NetworkConfig.newBuilder().setArchitecture("conv").setBaseChannels(16))
        .build()).getJobId();
    List<Double> losses = new ArrayList<>();
    JobState end = null;
    long exported = 0;
    Iterator<TrainingEvent> events = trainer.watchJob(WatchJobRequest.newBuilder().setJobId(job).build());
    while (events.hasNext()) {
      TrainingEvent e = events.next();
      if (e.hasStep()) {
        losses.add(e.getStep().getLoss());
      } else if (e.hasExport()) {
        exported = e.getExport().getVersion();
      } else if (e.hasFinished()) {
        end = e.getFinished().getState();
      }
    }
    assertEquals(JobState.SUCCEEDED, end);
    assertEquals(1, exported);
    assertEquals(300, losses.size());
    double first = mean(losses.subList(0, 50));
    double last = mean(losses.subList(250, 300));
    assertTrue(last < 0.7 * first, "loss did not fall: first 50 steps " + first + ", last 50 " + last);

    ManagedChannel samplerChannel = grpc.register(Channels.plaintext(suite.samplerAddress()));
    Iterator<SampleResponse> responses = SamplerServiceGrpc.newBlockingStub(samplerChannel).sample(
        SampleRequest.newBuilder().setModel("digits").setNumImages(6).setSeed(3).build());
    SampleResult result = null;
    int progressEvents = 0;
    while (responses.hasNext()) {
      SampleResponse r = responses.next();
      if (r.hasProgress()) {
        progressEvents++;
      } else {
        result = r.getResult();
      }
    }
    assertTrue(progressEvents > 0, "no progress was streamed");
    assertEquals(1, result.getVersion());
    assertEquals(200, result.getSteps());
    assertArrayEquals(new long[] {6, 8, 8, 1}, TensorCodec.shape(result.getImages()));
    byte[] pixels = TensorCodec.toBytes(result.getImages(), "images");
    long distinct = java.util.stream.IntStream.range(0, pixels.length).map(i -> pixels[i] & 0xFF).distinct().count();
    assertTrue(distinct > 10, "samples are nearly constant: " + distinct + " distinct pixel values");
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
