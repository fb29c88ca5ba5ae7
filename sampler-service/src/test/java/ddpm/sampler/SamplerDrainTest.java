package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import ddpm.testing.SampleEvents;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sampler asked to stop while a long request is in flight and a health Watch is open on it: the request
 * completes with every step and the images it gets undisturbed, the Watch sees NOT_SERVING and ends, and the
 * sampler stops as soon as the request has finished. Its drain timeout, here ten minutes, is what bounds the
 * wait: the sampling threads are not stopped before it, and the Watch does not hold the stop until it.
 */
class SamplerDrainTest {
  private static final int STEPS = 200;
  private static final int HOLD_AT = 50;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  @Test
  void aRequestInFlightCompletesAndTheSamplerStopsRightAfterIt() throws Exception {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.1f, 0.4f);
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    DenoiserReplica denoiser = grpc.register(new DenoiserReplica(root));
    ServerRunner sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback().withDrainTimeout(Duration.ofMinutes(10)), denoiser.address(), scheduler.address())));
    ManagedChannel channel = grpc.channelTo(sampler);
    byte[] undisturbed = SampleEvents.images(sample(channel));
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    denoiser.onStep(STEPS + HOLD_AT, () -> {
      held.countDown();
      Latches.await(release);
    });
    Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
        .watch(HealthCheckRequest.getDefaultInstance());
    assertEquals(ServingStatus.SERVING, watch.next().getStatus());
    Iterator<SampleResponse> events = sample(channel);
    Latches.await(held);

    CompletableFuture<Void> stopped = CompletableFuture.runAsync(sampler::close);
    assertEquals(ServingStatus.NOT_SERVING, watch.next().getStatus());
    StatusRuntimeException ended = assertThrows(StatusRuntimeException.class, watch::hasNext);
    assertEquals(Status.Code.UNAVAILABLE, ended.getStatus().getCode(), ended.toString());
    assertFalse(stopped.isDone(), "the sampler stopped with a request in flight");
    release.countDown();

    List<SampleResponse> all = new ArrayList<>();
    events.forEachRemaining(all::add);
    assertEquals(STEPS + 1, all.size());
    assertArrayEquals(undisturbed, SampleEvents.images(all.iterator()));
    stopped.get(1, TimeUnit.MINUTES);
  }

  private static Iterator<SampleResponse> sample(ManagedChannel channel) {
    return SamplerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
        .sample(SampleRequest.newBuilder().setModel("gauss").setSteps(STEPS).setNumImages(2).setSeed(3).build());
  }
}
