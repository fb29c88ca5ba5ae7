package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.VersionState;
import ddpm.denoiser.core.ModelLoading;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.metrics.BuildInfo;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import ddpm.tensorflow.DeviceChoice;
import ddpm.tensorflow.PrecisionChoice;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded suite (`ddpm up`): with --metrics, each service serves its own metrics on its own port, a free
 * one or, with --metrics-base-port, a fixed one; started for one command, its denoiser loads only what is asked for.
 */
class EmbeddedSuiteTest {
  private static final int STEPS = 40;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void withMetricsEachServiceCountsItsOwnCalls() throws Exception {
    EmbeddedSuite suite = startWithPointMassModel(0);
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
    for (ServerRunner server : startWithPointMassModel(Endpoint.NO_METRICS).servers()) {
      assertTrue(server.metricsUrl().isEmpty(), server.name() + " serves metrics");
    }
  }

  /**
   * A base port gives the scheduler, denoiser, sampler and trainer its four ports in that order. The base is a
   * port that was free a moment ago; one of the next three taken meanwhile is named by the bind error, and
   * another base is tried.
   */
  @Test
  void aMetricsBasePortGivesTheFourServicesTheFourPortsFromIt() throws Exception {
    for (int tries = 1; ; tries++) {
      int base;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(Endpoint.LOOPBACK))) {
        base = free.getLocalPort();
      }
      if (base > EmbeddedSuite.MAX_METRICS_BASE_PORT) {
        continue;
      }
      EmbeddedSuite suite;
      try {
        suite = startWithPointMassModel(base);
      } catch (BindException e) {
        if (tries == 10) {
          throw e;
        }
        continue;
      }
      List<String> urls = suite.servers().stream().map(s -> s.name() + " " + s.metricsUrl().orElseThrow()).toList();
      String at = "http://127.0.0.1:";
      assertEquals(List.of("scheduler " + at + base + "/metrics", "denoiser " + at + (base + 1) + "/metrics",
          "sampler " + at + (base + 2) + "/metrics", "trainer " + at + (base + 3) + "/metrics"), urls);
      assertEquals(1, scrape(suite, "trainer").value("ddpm_build_info{commit=\"" + BuildInfo.current().commit()
          + "\",version=\"" + BuildInfo.current().version() + "\"}"));
      return;
    }
  }

  @Test
  void aMetricsBasePortWhoseFourPortsDoNotFitIsRefusedNamingTheFlag() {
    CommandRun run = CommandRun.of("up", "--metrics-base-port", "65533", "--models", dir.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--metrics-base-port: must be in [1, 65532] (the services take it and the next"
        + " three), got 65533"), run.err());
  }

  /** What a command without --target starts: a model loads when the command first asks for it, not before. */
  @Test
  void aSuiteLoadingOnRequestLoadsOnlyTheModelItIsAskedFor() throws Exception {
    Path models = dir.resolve("models");
    for (String name : List.of("asked", "unasked")) {
      ModelCard card = ExactDenoisers.card(name, 4, 4, 1, STEPS, "linear");
      new ModelRepository(models).publish(name, v -> ExactDenoisers.exportPointMass(v, card, new float[16]));
    }
    EmbeddedSuite suite = grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(models, dir.resolve("data"), dir.resolve("work")), Endpoint.NO_METRICS,
        DeviceChoice.CPU, PrecisionChoice.FP32, ModelLoading.ON_REQUEST));
    SamplerServiceGrpc.newBlockingStub(grpc.register(Channels.plaintext(suite.samplerAddress())))
        .sample(SampleRequest.newBuilder().setModel("asked").setNumImages(1).setSeed(1).build())
        .forEachRemaining(response -> { });

    Map<String, VersionState> states = new HashMap<>();
    DenoiserServiceGrpc.newBlockingStub(grpc.register(Channels.plaintext(suite.denoiserAddress())))
        .listModels(ListModelsRequest.getDefaultInstance()).getModelsList()
        .forEach(model -> states.put(model.getName(), model.getStatuses(0).getState()));
    assertEquals(Map.of("asked", VersionState.READY, "unasked", VersionState.AVAILABLE), states);
  }

  private EmbeddedSuite startWithPointMassModel(int metricsBasePort) throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("point", 4, 4, 1, STEPS, "linear");
    new ModelRepository(models).publish("point", v -> ExactDenoisers.exportPointMass(v, card, new float[16]));
    return grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(models, dir.resolve("data"), dir.resolve("work")), metricsBasePort));
  }

  private static MetricsScrape scrape(EmbeddedSuite suite, String service) throws Exception {
    ServerRunner server = suite.servers().stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow();
    return MetricsScrape.of(server.metricsUrl().orElseThrow());
  }
}
