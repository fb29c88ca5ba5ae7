package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.grpc.Channels;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedded suite (`ddpm up`): with --metrics, each service serves its own metrics on its own port. */
class EmbeddedSuiteTest {
  private static final int STEPS = 40;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void withMetricsEachServiceCountsItsOwnCalls() throws Exception {
    EmbeddedSuite suite = startWithPointMassModel(true);
    List<ServerRunner> servers = suite.servers();
    Set<String> urls = servers.stream().map(s -> s.metricsUrl().orElseThrow()).collect(Collectors.toSet());
    assertEquals(servers.size(), urls.size(), "each service has its own metrics endpoint: " + urls);

    var samples = SamplerServiceGrpc.newBlockingStub(grpc.register(Channels.plaintext(suite.samplerAddress())))
        .sample(SampleRequest.newBuilder().setModel("point").setNumImages(2).setSeed(1).build());
    samples.forEachRemaining(response -> { });

    MetricsScrape sampler = scrape(suite, "sampler");
    assertEquals(STEPS, sampler.value("ddpm_sampler_steps_total"));
    assertEquals(1, sampler.value("ddpm_grpc_server_requests_total{code=\"OK\",method=\"Sample\",service=\""
        + SamplerServiceGrpc.SERVICE_NAME + "\"}"));
    MetricsScrape scheduler = scrape(suite, "scheduler");
    assertTrue(scheduler.value("ddpm_grpc_server_requests_total{code=\"OK\",method=\"GetSchedule\",service=\""
        + ScheduleServiceGrpc.SERVICE_NAME + "\"}") >= 1);
    assertFalse(scheduler.text().contains(SamplerServiceGrpc.SERVICE_NAME), "the scheduler counts only its calls");
    MetricsScrape denoiser = scrape(suite, "denoiser");
    assertTrue(denoiser.text().contains("service=\"" + DenoiserServiceGrpc.SERVICE_NAME + "\""),
        "the sampler's calls reached the denoiser's metrics");
    assertFalse(denoiser.text().contains(ScheduleServiceGrpc.SERVICE_NAME), "the denoiser counts only its calls");
  }

  @Test
  void withoutMetricsNoServiceServesThem() throws Exception {
    for (ServerRunner server : startWithPointMassModel(false).servers()) {
      assertTrue(server.metricsUrl().isEmpty(), server.name() + " serves metrics");
    }
  }

  private EmbeddedSuite startWithPointMassModel(boolean metrics) throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("point", 4, 4, 1, STEPS, "linear");
    new ModelRepository(models).publish("point", v -> ExactDenoisers.exportPointMass(v, card, new float[16]));
    return grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(models, dir.resolve("data"), dir.resolve("work")), metrics));
  }

  private static MetricsScrape scrape(EmbeddedSuite suite, String service) throws Exception {
    ServerRunner server = suite.servers().stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow();
    return MetricsScrape.of(server.metricsUrl().orElseThrow());
  }
}
