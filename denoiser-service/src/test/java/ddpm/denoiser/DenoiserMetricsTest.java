package ddpm.denoiser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.denoiser.batch.BatchingConfig;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DenoiserMetricsTest {
  private static final ModelCard POINT = ExactDenoisers.card("point", 2, 2, 1, 10, "linear");
  private static final String LABELS = "{model=\"point\",version=\"1\"}";

  @TempDir Path root;
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  @Test
  void countsImagesEngineCallsAndTheQueueAndItsWaitPerVersion() throws Exception {
    ExactDenoisers.publishPointMass(new ModelRepository(root), POINT, new float[4]);
    BatchingConfig batching = new BatchingConfig(true, 4, Duration.ZERO, 16, 1);
    ServerRunner server = grpc.register(DenoiserServer.start(new DenoiserConfig(
        Endpoint.loopback().withMetricsPort(0), root, batching, Duration.ofHours(1), Duration.ofMinutes(1),
        batching.queueCapacity())));
    DenoiserServiceBlockingStub stub = DenoiserServiceGrpc.newBlockingStub(grpc.channelTo(server));

    // One after another: engine calls of 1, 2, then 4 + 1 (5 images split at the maximum batch of 4).
    for (int n : new int[] {1, 2, 5}) {
      stub.withDeadlineAfter(1, TimeUnit.MINUTES).predictNoise(PredictNoiseRequest.newBuilder()
          .setModel("point")
          .setXT(TensorCodec.float32(new float[n * 4], n, 2, 2, 1))
          .setT(TensorCodec.int32(new int[n], n))
          .build());
    }

    MetricsScrape metrics = MetricsScrape.of(server.metricsUrl().orElseThrow());
    assertEquals(8, metrics.value("ddpm_denoiser_images_total" + LABELS));
    assertEquals(4, metrics.value("ddpm_denoiser_batch_images_count" + LABELS));
    assertEquals(8, metrics.value("ddpm_denoiser_batch_images_sum" + LABELS));
    assertEquals(4, metrics.value("ddpm_denoiser_engine_seconds_count" + LABELS));
    assertEquals(0, metrics.value("ddpm_denoiser_queue_images" + LABELS));
    // One wait per queued chunk: 1, 2, and the 5 images' two chunks.
    assertEquals(4, metrics.value("ddpm_denoiser_queue_seconds_count" + LABELS));
    assertEquals(4, metrics.value("ddpm_denoiser_queue_seconds_bucket{model=\"point\",version=\"1\",le=\"+Inf\"}"));
    assertEquals(3, metrics.value(
        "ddpm_grpc_server_requests_total{code=\"OK\",method=\"PredictNoise\",service=\"ddpm.v1.DenoiserService\"}"));
  }
}
