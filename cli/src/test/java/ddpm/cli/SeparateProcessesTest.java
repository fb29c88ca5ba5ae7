package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResult;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import ddpm.testing.SampleEvents;
import ddpm.testing.Slow;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four services as JVMs on their own ports, started with `ddpm serve` (the denoiser twice, as two
 * replicas), and a sample request through them; the sampler also serves its metrics.
 */
@Slow
class SeparateProcessesTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  private final ServedProcesses processes = new ServedProcesses(grpc);
  @TempDir Path dir;

  @Test
  void aSampleRequestCrossesFourProcesses() throws Exception {
    Path models = dir.resolve("models");
    float[] x0 = new float[4 * 4 * 3];
    for (int i = 0; i < x0.length; i++) {
      x0[i] = (i % 17) / 8.5f - 1;
    }
    ModelCard card = ExactDenoisers.card("point", 4, 4, 3, 50, "cosine");
    new ModelRepository(models).publish("point", v -> ExactDenoisers.exportPointMass(v, card, x0));

    ServiceProcess scheduler = processes.serve("scheduler");
    ServiceProcess denoiser = processes.serve("denoiser", "--models", models.toString());
    // Two replicas of the denoiser, given to the sampler as a static list.
    ServiceProcess replica = processes.serve("denoiser", "--models", models.toString());
    ServiceProcess sampler = processes.serve("sampler", "--scheduler", scheduler.address(),
        "--denoiser", denoiser.address() + "," + replica.address(), "--denoiser-timeout", "30",
        "--scheduler-timeout", "20", "--metrics-port", "0");
    ServiceProcess trainer = processes.serve("trainer", "--scheduler", scheduler.address(),
        "--models", models.toString(), "--work", dir.resolve("work").toString(), "--scheduler-timeout", "20");
    ServedProcesses.awaitServing(scheduler, denoiser, replica, sampler, trainer);

    SampleResult result = SampleEvents.result(processes.sample(sampler,
        SampleRequest.newBuilder().setModel("point").setNumImages(3).setSeed(1).build()));
    assertArrayEquals(new long[] {3, 4, 4, 3}, TensorCodec.shape(result.getImages()));
    byte[] pixels = TensorCodec.toBytes(result.getImages(), "images");
    for (int i = 0; i < pixels.length; i++) {
      int expected = Math.round((x0[i % x0.length] + 1) * 127.5f);
      assertEquals(expected, pixels[i] & 0xFF, 1, "pixel " + i);
    }
    assertEquals(50, MetricsScrape.of(sampler.metricsUrl().orElseThrow()).value("ddpm_sampler_steps_total"));
  }
}
