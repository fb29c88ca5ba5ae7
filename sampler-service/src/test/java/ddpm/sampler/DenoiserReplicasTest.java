package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import ddpm.testing.SampleEvents;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sampler over two real denoiser replicas (a static list), one of which stops in the middle of a request
 * while serving a step, or refuses every step (it has unloaded the version, its queue is full): the request
 * completes with the images the same request gets from one healthy replica. A stop is triggered by the replica
 * itself as its {@link #STOP_AT}-th step arrives, so the stopped replica always has that step in flight.
 */
class DenoiserReplicasTest {
  private static final int STEPS = 60;
  private static final int STOP_AT = 10;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  private ServerRunner scheduler;
  private DenoiserReplica healthy;
  private byte[] soloImages;

  @BeforeEach
  void startAHealthyReplicaAndSampleWithItAlone() throws IOException {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.1f, 0.4f);
    scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    healthy = grpc.register(new DenoiserReplica(root));
    soloImages = SampleEvents.images(sampleThrough(healthy.address()));
    assertEquals(STEPS, healthy.steps.get());
    healthy.steps.set(0);
  }

  /**
   * A graceful stop (what ServerRunner.close does on SIGTERM): the step in flight finishes on the stopping
   * replica, and every later step goes to the other one, refused connections and GOAWAY being UNAVAILABLE.
   */
  @Test
  void aReplicaStoppedGracefullyFinishesItsStepAndTheRestGoToTheOther() throws IOException {
    DenoiserReplica stopping = grpc.register(new DenoiserReplica(root));
    stopping.onStep(STOP_AT, stopping.server::shutdown);

    byte[] images = SampleEvents.images(sampleThrough(stopping.address() + "," + healthy.address()));

    assertTrue(stopping.acted.getCount() == 0, "the replica served " + stopping.steps + " steps and was not stopped");
    assertArrayEquals(soloImages, images);
    assertEquals(STOP_AT, stopping.steps.get());
    assertEquals(STEPS - STOP_AT, healthy.steps.get());
  }

  /**
   * A crash: the replica's connections drop with its step in flight. The sampler sees UNAVAILABLE for that
   * step, and the denoiser client retries it on the other replica, which so serves one step more than the rest.
   */
  @Test
  void theStepInFlightOnACrashedReplicaIsRetriedOnTheOther() throws IOException {
    DenoiserReplica crashing = grpc.register(new DenoiserReplica(root));
    TcpProxy connections = grpc.register(new TcpProxy(crashing.server.getPort()));
    crashing.onStep(STOP_AT, connections::kill);

    byte[] images = SampleEvents.images(sampleThrough(connections.address() + "," + healthy.address()));

    assertTrue(crashing.acted.getCount() == 0, "the replica served " + crashing.steps + " steps and did not crash");
    assertArrayEquals(soloImages, images);
    assertEquals(STOP_AT, crashing.steps.get());
    assertEquals(STEPS - STOP_AT + 1, healthy.steps.get());
  }

  /**
   * One replica has unloaded the version the requests are pinned to, and refuses its steps with
   * FAILED_PRECONDITION (and model info with the version gone): every request completes with the solo images,
   * every step answered by the other replica.
   */
  @Test
  void whenOneReplicaHasUnloadedTheVersionEveryStepIsServedByTheOther() throws Exception {
    DenoiserReplica unloaded = grpc.register(new DenoiserReplica(root));
    unloaded.models.unload("gauss", 1);

    assertEveryRequestIsServedByTheHealthyReplica(unloaded);
  }

  /** One replica's queue is full: its refusals (RESOURCE_EXHAUSTED) send every step to the other one. */
  @Test
  void whenOneReplicasQueueIsFullEveryStepIsServedByTheOther() throws Exception {
    DenoiserReplica full = grpc.register(new DenoiserReplica(root));
    full.refuseSteps(Status.RESOURCE_EXHAUSTED.withDescription(
        "the denoiser's queue is full (4096 of 4096 images waiting); retry with backoff or add replicas"));

    assertEveryRequestIsServedByTheHealthyReplica(full);
  }

  /**
   * The sampler's client metrics of its denoiser target count each refused step as a retry that failed over to
   * the other replica, and every step once, as the success it ended in.
   */
  private void assertEveryRequestIsServedByTheHealthyReplica(DenoiserReplica refusing) throws Exception {
    int requests = 3;
    String target = refusing.address() + "," + healthy.address();
    ServerRunner sampler = sampler(target);
    for (int r = 0; r < requests; r++) {
      assertArrayEquals(soloImages, SampleEvents.images(sample(sampler)), "request " + r);
    }
    assertEquals(requests * STEPS, healthy.steps.get());
    assertTrue(refusing.steps.get() > 0, "round_robin never picked the refusing replica");

    MetricsScrape metrics = MetricsScrape.of(sampler.metricsUrl().orElseThrow());
    String predictNoise = "method=\"PredictNoise\",service=\"" + DenoiserServiceGrpc.SERVICE_NAME + "\",target=\""
        + target + "\"";
    assertEquals(refusing.steps.get(), metrics.value("ddpm_grpc_client_retries_total{" + predictNoise + "}"));
    assertEquals(refusing.steps.get(), metrics.value("ddpm_grpc_client_failovers_total{" + predictNoise + "}"));
    assertEquals(requests * STEPS,
        metrics.value("ddpm_grpc_client_request_seconds_count{code=\"OK\"," + predictNoise + "}"));
    assertEquals(0, metrics.sum("ddpm_grpc_client_request_seconds_count",
        labels -> labels.contains(predictNoise) && !labels.contains("code=\"OK\"")));
  }

  private Iterator<SampleResponse> sampleThrough(String denoiserTarget) throws IOException {
    return sample(sampler(denoiserTarget));
  }

  private ServerRunner sampler(String denoiserTarget) throws IOException {
    return grpc.register(SamplerServer.start(SamplerConfig.of(Endpoint.loopback().withMetricsPort(0),
        denoiserTarget, scheduler.address())));
  }

  private Iterator<SampleResponse> sample(ServerRunner sampler) {
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES)
        .sample(SampleRequest.newBuilder().setModel("gauss").setSampler(SamplerKind.ANCESTRAL).setSteps(STEPS)
            .setNumImages(4).setSeed(11).build());
  }
}
