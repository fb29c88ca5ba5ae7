package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A sampler with its metrics endpoint on, driving a fake denoiser. */
class SamplerMetricsTest {
  private static final ImageShape SHAPE = new ImageShape(4, 5, 3);
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
  private static final String SAMPLE = "{code=\"%s\",method=\"Sample\",service=\"" + SamplerServiceGrpc.SERVICE_NAME
      + "\"}";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private FakeDenoiser denoiser;
  private ServerRunner sampler;
  private SamplerServiceGrpc.SamplerServiceBlockingStub stub;

  @BeforeEach
  void start() throws Exception {
    denoiser = new FakeDenoiser(SHAPE, SCHEDULE, ExactEps.pointMass(SCHEDULE, Pixels.toModel(new byte[SHAPE.size()])));
    ServerRunner denoiserServer = grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(), List.of(denoiser)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback().withMetricsPort(0), denoiserServer.address(), scheduler.address()).withMaxImages(8)));
    stub = SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler)).withDeadlineAfter(2, TimeUnit.MINUTES);
  }

  @Test
  void stepsAndImagesRiseByWhatEachRequestDidAndFailuresAreCountedByCode() throws Exception {
    MetricsScrape before = scrape();
    assertEquals(0, before.value("ddpm_sampler_steps_total"));
    assertEquals(0, before.value("ddpm_sampler_active_requests"));

    drain(stub.sample(request(3).setSteps(10).build()));
    drain(stub.sample(request(2).setSteps(7).build()));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> drain(stub.sample(request(1).setSteps(-1).build())));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());

    MetricsScrape after = scrape();
    assertEquals(17, after.value("ddpm_sampler_steps_total"));
    assertEquals(5, after.value("ddpm_sampler_images_total"));
    assertEquals(2, after.value("ddpm_grpc_server_requests_total" + SAMPLE.formatted("OK")));
    assertEquals(1, after.value("ddpm_grpc_server_requests_total" + SAMPLE.formatted("INVALID_ARGUMENT")));
  }

  @Test
  void aRequestIsActiveWhileItSamples() throws Exception {
    denoiser.blockCall(5);
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      Iterator<SampleResponse> events = context.call(() -> stub.sample(request(2).setSteps(10).build()));
      for (int step = 1; step <= 4; step++) {
        assertEquals(step, events.next().getProgress().getStep());
      }
      MetricsScrape during = scrape();
      assertEquals(1, during.value("ddpm_sampler_active_requests"));
      assertEquals(4, during.value("ddpm_sampler_steps_total"));
    } finally {
      context.cancel(null);
    }
  }

  private MetricsScrape scrape() throws Exception {
    return MetricsScrape.of(sampler.metricsUrl().orElseThrow());
  }

  private static SampleRequest.Builder request(int numImages) {
    return SampleRequest.newBuilder().setModel(FakeDenoiser.MODEL).setNumImages(numImages).setSeed(1);
  }

  private static void drain(Iterator<SampleResponse> events) {
    events.forEachRemaining(event -> {});
  }
}
