package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.ImageLikelihoodResult;
import ddpm.api.v1.LikelihoodBound;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.VarianceKind;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EvaluateLikelihood against a fake denoiser: batching, progress, bad input and cancellation. */
class LikelihoodGrpcServiceTest {
  private static final ImageShape SHAPE = new ImageShape(4, 5, 3);
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
  private static final int MAX_IMAGES = 8;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private FakeDenoiser denoiser;
  private SamplerServiceGrpc.SamplerServiceBlockingStub stub;

  /**
   * 3 images × 100 timesteps = 300 (image, timestep) pairs go out in calls of the sampler's 8 images: 37 full
   * calls and one of 4. Progress counts timesteps done for all three, rising to 100; then one result per image.
   */
  @Test
  void theDenoiserSeesFullBatchesAndEveryImageGetsBothBounds() {
    start();

    List<LikelihoodResponse> events = collect(stub.withDeadlineAfter(2, TimeUnit.MINUTES)
        .evaluateLikelihood(request(3).build()));

    assertEquals(38, denoiser.batchSizes.size());
    assertTrue(denoiser.batchSizes.subList(0, 37).stream().allMatch(size -> size == MAX_IMAGES));
    assertEquals(4, denoiser.batchSizes.get(37));
    List<LikelihoodResponse> progress = events.subList(0, events.size() - 3);
    int last = 0;
    for (LikelihoodResponse event : progress) {
      assertTrue(event.getProgress().getTimestepsDone() > last);
      assertEquals(100, event.getProgress().getTotalTimesteps());
      last = event.getProgress().getTimestepsDone();
    }
    assertEquals(100, last);
    for (int i = 0; i < 3; i++) {
      ImageLikelihoodResult image = events.get(events.size() - 3 + i).getImage();
      assertEquals(i, image.getIndex());
      assertEquals(FakeDenoiser.VERSION, image.getVersion());
      assertEquals(List.of(VarianceKind.FIXED_LARGE, VarianceKind.FIXED_SMALL),
          image.getBoundsList().stream().map(LikelihoodBound::getVariance).toList());
      assertEquals(100, image.getEpsMseCount());
      assertEquals(100, image.getX0MseCount());
      for (LikelihoodBound bound : image.getBoundsList()) {
        assertEquals(100, bound.getTermsCount());
        double sum = bound.getPrior() + bound.getTermsList().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(sum, bound.getBitsPerDim(), 1e-12);
      }
    }
  }

  @Test
  void theVariancesComeInTheRequestsOrder() {
    start();

    List<LikelihoodResponse> events = collect(stub.evaluateLikelihood(request(1)
        .addVariances(VarianceKind.FIXED_SMALL).addVariances(VarianceKind.VARIANCE_KIND_UNSPECIFIED).build()));

    assertEquals(List.of(VarianceKind.FIXED_SMALL, VarianceKind.FIXED_LARGE), events.get(events.size() - 1)
        .getImage().getBoundsList().stream().map(LikelihoodBound::getVariance).toList());
  }

  static Stream<Arguments> badRequests() {
    byte[] one = pixels(1);
    return Stream.of(
        bad(Status.Code.INVALID_ARGUMENT, "images", r -> r.clearImages()),
        bad(Status.Code.INVALID_ARGUMENT, "images", r -> r.setImages(TensorCodec.float32(new float[60], 1, 4, 5, 3))),
        bad(Status.Code.INVALID_ARGUMENT, "images", r -> r.setImages(TensorCodec.uint8(one, 1, 5, 4, 3))),
        bad(Status.Code.INVALID_ARGUMENT, "images", r -> r.setImages(TensorCodec.uint8(one, 1, 60))),
        bad(Status.Code.INVALID_ARGUMENT, "images", r -> r.setImages(TensorCodec.uint8(pixels(9), 9, 4, 5, 3))),
        bad(Status.Code.INVALID_ARGUMENT, "images", 
            r -> r.setImages(TensorCodec.uint8(one, 1, 4, 5, 3).toBuilder().setShape(0, 2).build())),
        bad(Status.Code.INVALID_ARGUMENT, "variances",
            r -> r.addVariances(VarianceKind.FIXED_SMALL).addVariances(VarianceKind.FIXED_SMALL)),
        bad(Status.Code.INVALID_ARGUMENT, "variances", r -> r.addVariancesValue(9)),
        bad(Status.Code.INVALID_ARGUMENT, "image_offset", r -> r.setImageOffset(-1)),
        bad(Status.Code.INVALID_ARGUMENT, "image_offset", r -> r.setImageOffset(Long.MAX_VALUE)),
        bad(Status.Code.INVALID_ARGUMENT, "model", r -> r.setModel("")),
        bad(Status.Code.INVALID_ARGUMENT, "version", r -> r.setVersion(-1)),
        bad(Status.Code.NOT_FOUND, "model \"exact\" has no version 7", r -> r.setVersion(7)),
        bad(Status.Code.NOT_FOUND, "model \"missing\"", r -> r.setModel("missing")));
  }

  private static Arguments bad(Status.Code code, String description, UnaryOperator<LikelihoodRequest.Builder> change) {
    return Arguments.of(code, description, change);
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void badRequestsFailNamingTheFieldBeforeAnyStep(Status.Code code, String description,
      UnaryOperator<LikelihoodRequest.Builder> change) {
    start();

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> collect(stub.evaluateLikelihood(change.apply(request(1)).build())));

    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().startsWith(description), e.getStatus().getDescription());
    assertEquals(0, denoiser.versionsAsked.size());
  }

  @Test
  void cancellingTheCallCancelsTheDenoiserCallInFlightAndMakesNoMore() throws Exception {
    start();
    denoiser.blockCall(5);
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<LikelihoodResponse> events = context.call(() -> stub.evaluateLikelihood(request(MAX_IMAGES).build()));
    assertEquals(1, events.next().getProgress().getTimestepsDone());
    Latches.await(denoiser.blockedCallStarted);
    context.cancel(null);
    assertTrue(denoiser.blockedCallCancelled.await(30, TimeUnit.SECONDS), "the denoiser call was not cancelled");
    assertEquals(5, denoiser.versionsAsked.size());
  }

  private void start() {
    try {
      ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
      denoiser = new FakeDenoiser(SHAPE, SCHEDULE, ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixels(1))));
      ServerRunner denoiserServer =
          grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(), List.of(denoiser)));
      ServerRunner sampler = grpc.register(SamplerServer.start(new SamplerConfig(Endpoint.loopback(),
          denoiserServer.address(), scheduler.address(), MAX_IMAGES, SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT,
          RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, SamplerConfig.DEFAULT_MAX_CONCURRENT_REQUESTS,
          SamplerConfig.DEFAULT_MAX_QUEUED_REQUESTS)));
      stub = SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
    } catch (IOException e) {
      throw new AssertionError("could not start the servers", e);
    }
  }

  private static LikelihoodRequest.Builder request(int numImages) {
    return LikelihoodRequest.newBuilder().setModel(FakeDenoiser.MODEL).setSeed(1)
        .setImages(TensorCodec.uint8(pixels(numImages), numImages, 4, 5, 3));
  }

  /** Pixel values spread over 0..255, different in every image. */
  private static byte[] pixels(int numImages) {
    byte[] pixels = new byte[numImages * SHAPE.size()];
    for (int j = 0; j < pixels.length; j++) {
      pixels[j] = (byte) (j * 37 % 256);
    }
    return pixels;
  }

  private static List<LikelihoodResponse> collect(Iterator<LikelihoodResponse> events) {
    List<LikelihoodResponse> out = new ArrayList<>();
    events.forEachRemaining(out::add);
    return out;
  }
}
