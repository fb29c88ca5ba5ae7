package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.SampleEvents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler stops after the sampler has fetched a schedule: requests for that schedule (kind, T, K) go on
 * with the same images, and a request for a schedule never fetched fails UNAVAILABLE naming the scheduler
 * once its scheduler timeout has passed.
 */
class SchedulerOutageTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  @Test
  void aKnownScheduleIsServedWhileTheSchedulerIsDownAndAnUnknownOneFailsNamingIt() throws Exception {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.1f, 0.4f);
    ServerRunner scheduler = SchedulerServer.start(new SchedulerConfig(Endpoint.loopback()));
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)));
    ServerRunner sampler = grpc.register(SamplerServer.start(new SamplerConfig(Endpoint.loopback(),
        denoiser.address(), scheduler.address(), SamplerConfig.DEFAULT_MAX_IMAGES,
        SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT, Duration.ofSeconds(2), SamplerConfig.DEFAULT_MAX_CONCURRENT_REQUESTS,
        SamplerConfig.DEFAULT_MAX_QUEUED_REQUESTS)));
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
    byte[] before = images(stub, 20);

    scheduler.close();

    assertArrayEquals(before, images(stub, 20));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> images(stub, 30));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().startsWith("scheduler: "), e.getStatus().getDescription());
  }

  private static byte[] images(SamplerServiceGrpc.SamplerServiceBlockingStub stub, int steps) {
    return SampleEvents.images(stub.withDeadlineAfter(1, TimeUnit.MINUTES).sample(
        SampleRequest.newBuilder().setModel("gauss").setSteps(steps).setNumImages(3).setSeed(4).build()));
  }
}
