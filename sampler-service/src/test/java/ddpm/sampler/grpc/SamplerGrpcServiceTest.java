package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DType;
import ddpm.api.v1.SampleProgress;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.Spacing;
import ddpm.api.v1.Tensor;
import ddpm.api.v1.VarianceKind;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.diffusion.schedule.SpacingKind;
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
import ddpm.testing.SilentScheduler;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SamplerGrpcServiceTest {
  private static final ImageShape SHAPE = new ImageShape(4, 5, 3);
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
  private static final int MAX_IMAGES = 8;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private FakeDenoiser denoiser;
  private SamplerServiceGrpc.SamplerServiceBlockingStub stub;

  @Test
  void aPointMassComesBackExactlyAfterOneProgressEventPerStepInOrder() throws IOException {
    byte[] target = pixelPattern();
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(target)));

    List<SampleResponse> events = collect(stub.withDeadlineAfter(2, TimeUnit.MINUTES)
        .sample(request(3, 1).setIncludePng(true).build()));

    assertEquals(101, events.size());
    for (int k = 0; k < 100; k++) {
      SampleProgress progress = events.get(k).getProgress();
      assertEquals(k + 1, progress.getStep(), "event " + k);
      assertEquals(100, progress.getTotalSteps());
      assertEquals(99 - k, progress.getTimestep());
    }
    SampleResult result = events.get(100).getResult();
    assertEquals(DType.UINT8, result.getImages().getDtype());
    assertEquals(List.of(3L, 4L, 5L, 3L), result.getImages().getShapeList());
    byte[] images = TensorCodec.toBytes(result.getImages(), "images");
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(target, Arrays.copyOfRange(images, i * SHAPE.size(), (i + 1) * SHAPE.size()), "image " + i);
    }
    assertEquals(FakeDenoiser.MODEL, result.getModel());
    assertEquals(FakeDenoiser.VERSION, result.getVersion());
    assertEquals(100, result.getSteps());
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(result.getPng().toByteArray()));
    int scale = 8; // 4-pixel-high images are enlarged to at least 32 pixels
    assertEquals(2 * (5 * scale + 2) + 2, png.getWidth());
    assertEquals(2 * (4 * scale + 2) + 2, png.getHeight());
  }

  @Test
  void everyDenoiserCallUsesThePinnedVersionTheWholeBatchAndTheCallersDeadline() {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())));
    collect(stub.withDeadlineAfter(2, TimeUnit.MINUTES).sample(request(5, 1).setVersion(0).build()));
    assertEquals(100, denoiser.versionsAsked.size());
    assertTrue(denoiser.versionsAsked.stream().allMatch(v -> v == FakeDenoiser.VERSION),
        denoiser.versionsAsked::toString);
    assertTrue(denoiser.batchSizes.stream().allMatch(n -> n == 5), denoiser.batchSizes::toString);
    assertTrue(denoiser.millisLeftOnArrival.stream().allMatch(left -> left != null && left <= 120_000),
        "a denoiser call had no deadline, or a later one than the caller's: " + denoiser.millisLeftOnArrival);
  }

  @ParameterizedTest
  @CsvSource({"ANCESTRAL, 0, 0", "DDIM, 0.5, 20", "DDIM, 0, 20", "DPM_SOLVER_PP_2M, 0, 15"})
  void theSameSeedGivesTheSameImagesWhateverTheBatchSize(SamplerKind sampler, double eta, int steps) {
    float[] mean = new float[SHAPE.size()];
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.4f);
    start(ExactEps.gaussian(SCHEDULE, mean, std));
    UnaryOperator<SampleRequest.Builder> settings = r -> r.setSampler(sampler).setEta(eta).setSteps(steps)
        .setVariance(VarianceKind.FIXED_SMALL);
    byte[] two = images(settings.apply(request(2, 42)));
    byte[] four = images(settings.apply(request(4, 42)));
    byte[] again = images(settings.apply(request(2, 42)));
    byte[] otherSeed = images(settings.apply(request(2, 43)));
    assertArrayEquals(two, Arrays.copyOf(four, two.length));
    assertArrayEquals(two, again);
    assertFalse(Arrays.equals(two, otherSeed));
  }

  @ParameterizedTest
  @CsvSource({"ANCESTRAL, 0", "DDIM, 20"})
  void requestsAtImageOffsetsContinueTheSeedsSequence(SamplerKind sampler, int steps) {
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.4f);
    start(ExactEps.gaussian(SCHEDULE, new float[SHAPE.size()], std));
    UnaryOperator<SampleRequest.Builder> settings = r -> r.setSampler(sampler).setSteps(steps);
    byte[] five = images(settings.apply(request(5, 42)));
    byte[] firstTwo = images(settings.apply(request(2, 42)));
    byte[] lastThree = images(settings.apply(request(3, 42).setImageOffset(2)));
    assertArrayEquals(Arrays.copyOf(five, firstTwo.length), firstTwo);
    assertArrayEquals(Arrays.copyOfRange(five, firstTwo.length, five.length), lastThree);
    assertFalse(Arrays.equals(lastThree, images(settings.apply(request(3, 43)))));
  }

  @ParameterizedTest
  @CsvSource({"ANCESTRAL, false", "DDIM, true", "DPM_SOLVER_PP_2M, false", "EULER, true",
      "EULER_ANCESTRAL, false"})
  void everySamplerReturnsAPointMassOverRespacedStepsCallingTheOriginalTimesteps(SamplerKind sampler, boolean clip) {
    byte[] target = pixelPattern();
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(target)));

    List<SampleResponse> events = collect(stub.sample(
        request(2, 5).setSampler(sampler).setSteps(10).setEta(0.3).setClipDenoised(clip).build()));

    int[] kept = SCHEDULE.respace(10).timestepIndices();
    assertEquals(11, events.size());
    for (int step = 1; step <= 10; step++) {
      SampleProgress progress = events.get(step - 1).getProgress();
      assertEquals(step, progress.getStep());
      assertEquals(10, progress.getTotalSteps());
      assertEquals(kept[10 - step], progress.getTimestep());
    }
    SampleResult result = events.get(10).getResult();
    assertEquals(10, result.getSteps());
    byte[] images = TensorCodec.toBytes(result.getImages(), "images");
    assertArrayEquals(target, Arrays.copyOf(images, SHAPE.size()));
    assertArrayEquals(target, Arrays.copyOfRange(images, SHAPE.size(), 2 * SHAPE.size()));
    assertEquals(10, denoiser.versionsAsked.size());
  }

  /**
   * Each new sampler, spacing and corrector over loopback: the scheduler respaces with the spacing, the progress
   * counts denoiser calls (2K − 1 for Heun, M(K − 1) more with a corrector), and a point mass comes back exactly.
   */
  @ParameterizedTest
  @CsvSource({
      "EULER, TRAILING, 0, 0, 10", "HEUN, KARRAS, 3, 0, 19", "EULER_ANCESTRAL, EVEN, 0, 0, 10",
      "ANCESTRAL, KARRAS, 0, 1, 19", "DPM_SOLVER_PP_2M, SPACING_UNSPECIFIED, 0, 2, 28"})
  void everySpacingAndCorrectorReachesTheSchedulerAndCountsItsCalls(SamplerKind sampler, Spacing spacing,
      double rho, int correctorSteps, int calls) {
    byte[] target = pixelPattern();
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(target)));

    List<SampleResponse> events = collect(stub.sample(request(2, 5).setSampler(sampler).setSteps(10)
        .setSpacing(spacing).setKarrasRho(rho).setCorrectorSteps(correctorSteps).build()));

    SpacingKind kind = spacing == Spacing.SPACING_UNSPECIFIED ? SpacingKind.EVEN : SpacingKind.valueOf(spacing.name());
    int[] kept = SCHEDULE.respace(10, new ddpm.diffusion.schedule.Spacing(kind, rho == 0 ? 7 : rho))
        .timestepIndices();
    assertEquals(11, events.size());
    assertEquals(kept[9], events.get(0).getProgress().getTimestep());
    assertEquals(kept[0], events.get(9).getProgress().getTimestep());
    assertEquals(calls, events.get(9).getProgress().getStep());
    assertEquals(calls, events.get(9).getProgress().getTotalSteps());
    SampleResult result = events.get(10).getResult();
    assertEquals(calls, result.getSteps());
    assertEquals(calls, denoiser.versionsAsked.size());
    byte[] images = TensorCodec.toBytes(result.getImages(), "images");
    assertArrayEquals(target, Arrays.copyOf(images, SHAPE.size()));
    assertArrayEquals(target, Arrays.copyOfRange(images, SHAPE.size(), 2 * SHAPE.size()));
  }

  @Test
  void givenInitialNoiseADeterministicSamplerReturnsTheSameImagesWhateverTheSeed() {
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.5f);
    start(ExactEps.gaussian(SCHEDULE, new float[SHAPE.size()], std));
    float[] xT = new float[2 * SHAPE.size()];
    for (int j = 0; j < xT.length; j++) {
      xT[j] = (float) Math.sin(j * 1.3) * 2;
    }
    UnaryOperator<SampleRequest.Builder> ddim = r -> r.setSampler(SamplerKind.DDIM).setSteps(20)
        .setInitialNoise(TensorCodec.float32(xT, 2, SHAPE.height(), SHAPE.width(), SHAPE.channels()));
    byte[] seedOne = images(ddim.apply(request(2, 1)));
    assertArrayEquals(seedOne, images(ddim.apply(request(2, 2))));
    assertFalse(Arrays.equals(seedOne, images(request(2, 1).setSampler(SamplerKind.DDIM).setSteps(20))));
  }

  static Stream<Arguments> badSamplingChoices() {
    Tensor goodNoise = TensorCodec.float32(new float[SHAPE.size()], 1, 4, 5, 3);
    float[] nan = new float[SHAPE.size()];
    nan[7] = Float.NaN;
    return Stream.of(
        bad("steps", r -> r.setSteps(-1)),
        bad("steps", r -> r.setSteps(101)),
        bad("eta", r -> r.setSampler(SamplerKind.DDIM).setEta(-0.1)),
        bad("eta", r -> r.setSampler(SamplerKind.DDIM).setEta(1.5)),
        bad("eta", r -> r.setSampler(SamplerKind.DDIM).setEta(Double.NaN)),
        bad("sampler", r -> r.setSamplerValue(99)),
        bad("spacing", r -> r.setSpacingValue(99)),
        bad("karras_rho", r -> r.setSpacing(Spacing.KARRAS).setKarrasRho(-1)),
        bad("karras_rho", r -> r.setKarrasRho(Double.NaN)),
        bad("karras_rho", r -> r.setKarrasRho(Double.POSITIVE_INFINITY)),
        bad("corrector_steps", r -> r.setCorrectorSteps(-1)),
        bad("corrector_steps", r -> r.setCorrectorSteps(11)),
        bad("corrector_snr", r -> r.setCorrectorSteps(1).setCorrectorSnr(-0.1)),
        bad("corrector_snr", r -> r.setCorrectorSnr(Double.NaN)),
        bad("image_offset", r -> r.setImageOffset(-1)),
        bad("image_offset", r -> r.setImageOffset(Long.MAX_VALUE)),
        bad("initial_noise", r -> r.setInitialNoise(goodNoise.toBuilder().setDtype(DType.INT32))),
        bad("initial_noise", r -> r.setInitialNoise(TensorCodec.float32(new float[SHAPE.size()], 1, 5, 4, 3))),
        bad("initial_noise", r -> r.setInitialNoise(TensorCodec.float32(new float[2 * SHAPE.size()], 2, 4, 5, 3))),
        bad("initial_noise", r -> r.setInitialNoise(TensorCodec.float32(nan, 1, 4, 5, 3))));
  }

  private static Arguments bad(String field, UnaryOperator<SampleRequest.Builder> change) {
    return Arguments.of(field, change);
  }

  @ParameterizedTest
  @MethodSource("badSamplingChoices")
  void badSamplingChoicesAreInvalidArgumentsNamingTheFieldBeforeAnyStep(
      String field, UnaryOperator<SampleRequest.Builder> change) {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> collect(stub.sample(change.apply(request(1, 1)).build())));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith(field), e.getStatus().getDescription());
    assertEquals(0, denoiser.versionsAsked.size());
    assertEquals(SHAPE.size(), images(request(1, 1)).length);
  }

  @ParameterizedTest
  @CsvSource({
      "exact, 0, 0, -1, INVALID_ARGUMENT, num_images",
      "exact, 9, 0, -1, INVALID_ARGUMENT, num_images",
      "'', 1, 0, -1, INVALID_ARGUMENT, model",
      "exact, 1, -2, -1, INVALID_ARGUMENT, version",
      "exact, 1, 0, 99, INVALID_ARGUMENT, variance",
      "missing, 1, 0, -1, NOT_FOUND, model \"missing\"",
      "exact, 1, 7, -1, NOT_FOUND, model \"exact\" has no version 7"})
  void badRequestsFailWithTheirCodeAndTheSamplerKeepsServing(
      String model, int numImages, long version, int variance, Status.Code code, String description) {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())));
    SampleRequest.Builder bad = request(numImages, 1).setModel(model).setVersion(version);
    if (variance >= 0) {
      bad.setVarianceValue(variance);
    }
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> collect(stub.sample(bad.build())));
    assertEquals(code, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith(description), e.getStatus().getDescription());
    assertEquals(0, denoiser.versionsAsked.size());
    assertEquals(SHAPE.size(), images(request(1, 1)).length);
  }

  @Test
  void cancellingTheCallCancelsTheDenoiserCallInFlight() throws Exception {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())));
    denoiser.blockCall(5);
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<SampleResponse> events = context.call(() -> stub.sample(request(2, 1).build()));
    for (int step = 1; step <= 4; step++) {
      assertEquals(step, events.next().getProgress().getStep());
    }
    // Cancelled only once the 5th call is in flight: cancelling earlier may stop the sampler before it is made.
    Latches.await(denoiser.blockedCallStarted);
    context.cancel(null);
    assertTrue(denoiser.blockedCallCancelled.await(30, TimeUnit.SECONDS), "the denoiser call was not cancelled");
    assertEquals(5, denoiser.versionsAsked.size());
  }

  /**
   * A denoiser that never answers a step fails the request with DEADLINE_EXCEEDED once the sampler's
   * per-call timeout has passed, long before the caller's own deadline: the step that hung carried the
   * per-call deadline, and was cancelled at it.
   */
  @Test
  void aDenoiserThatNeverAnswersFailsTheRequestWithDeadlineExceeded() throws Exception {
    Duration timeout = Duration.ofMillis(200);
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())), timeout);
    denoiser.blockCall(3);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> collect(stub.withDeadlineAfter(2, TimeUnit.MINUTES).sample(request(2, 1).build())));

    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(3, denoiser.versionsAsked.size());
    assertTrue(denoiser.blockedCallCancelled.await(30, TimeUnit.SECONDS), "the hung step was not cancelled");
    long left = denoiser.millisLeftOnArrival.get(2);
    assertTrue(left <= timeout.toMillis(), "the hung step arrived with " + left + " ms left");
  }

  /**
   * A scheduler that never answers fails the request with DEADLINE_EXCEEDED once the sampler's scheduler
   * call timeout has passed, long before the caller's own deadline, and before any denoiser call.
   */
  @Test
  void aSchedulerThatNeverAnswersFailsTheRequestWithDeadlineExceeded() throws Exception {
    Duration timeout = Duration.ofMillis(200);
    SilentScheduler silent = new SilentScheduler();
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(pixelPattern())),
        grpc.register(ServerRunner.start("scheduler", Endpoint.loopback(), List.of(silent))),
        SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT, timeout);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> collect(stub.withDeadlineAfter(2, TimeUnit.MINUTES).sample(request(2, 1).build())));

    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(0, denoiser.versionsAsked.size());
    Long left = silent.millisLeftOnArrival.poll(30, TimeUnit.SECONDS);
    assertTrue(left != null, "the scheduler was never called");
    assertTrue(left <= timeout.toMillis(), "the scheduler call arrived with " + left + " ms left");
  }

  private void start(EpsModel eps) {
    start(eps, SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT);
  }

  private void start(EpsModel eps, Duration denoiserCallTimeout) {
    try {
      ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
      start(eps, scheduler, denoiserCallTimeout, RemoteScheduleSource.DEFAULT_CALL_TIMEOUT);
    } catch (IOException e) {
      throw new AssertionError("could not start the scheduler", e);
    }
  }

  private void start(EpsModel eps, ServerRunner scheduler, Duration denoiserCallTimeout,
      Duration schedulerCallTimeout) {
    try {
      denoiser = new FakeDenoiser(SHAPE, SCHEDULE, eps);
      ServerRunner denoiserServer =
          grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(), List.of(denoiser)));
      ServerRunner sampler = grpc.register(SamplerServer.start(new SamplerConfig(Endpoint.loopback(),
          denoiserServer.address(), scheduler.address(), MAX_IMAGES, denoiserCallTimeout, schedulerCallTimeout,
          SamplerConfig.DEFAULT_MAX_CONCURRENT_REQUESTS, SamplerConfig.DEFAULT_MAX_QUEUED_REQUESTS)));
      stub = SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
    } catch (IOException e) {
      throw new AssertionError("could not start the servers", e);
    }
  }

  private static SampleRequest.Builder request(int numImages, long seed) {
    return SampleRequest.newBuilder().setModel(FakeDenoiser.MODEL).setNumImages(numImages).setSeed(seed);
  }

  private byte[] images(SampleRequest.Builder request) {
    List<SampleResponse> events = collect(stub.sample(request.build()));
    SampleResponse last = events.get(events.size() - 1);
    assertTrue(last.hasResult(), "the last event is not the result");
    return TensorCodec.toBytes(last.getResult().getImages(), "images");
  }

  private static List<SampleResponse> collect(Iterator<SampleResponse> events) {
    List<SampleResponse> out = new ArrayList<>();
    events.forEachRemaining(out::add);
    return out;
  }

  /** Pixel values spread over 0..255, so channels and positions all differ. */
  private static byte[] pixelPattern() {
    byte[] pixels = new byte[SHAPE.size()];
    for (int j = 0; j < pixels.length; j++) {
      pixels[j] = (byte) (j * 37 % 256);
    }
    return pixels;
  }
}
