package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import ddpm.api.v1.DType;
import ddpm.api.v1.EditImages;
import ddpm.api.v1.ImageToImage;
import ddpm.api.v1.Inpainting;
import ddpm.api.v1.Interpolation;
import ddpm.api.v1.SamplePreview;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.images.PngImage;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Image-to-image, inpainting, interpolation and previews through a real sampler on loopback (docs/math.md §14). */
class SamplerEditingTest {
  private static final ImageShape SHAPE = new ImageShape(4, 5, 3);
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 100);
  /** What the point-mass denoiser always predicts. */
  private static final byte[] TARGET = pattern(37, 0);
  /** The image the requests start from. */
  private static final byte[] INIT = pattern(11, 5);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private FakeDenoiser denoiser;
  private SamplerServiceGrpc.SamplerServiceBlockingStub stub;

  @Test
  void imageToImageStartsAtItsStrengthAndATinyStrengthReturnsTheImageWithoutACall() {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(TARGET)));
    List<SampleResponse> events = collect(request(2).setImageToImage(ImageToImage.newBuilder()
        .setInitImages(tensor(INIT)).setStrength(0.5)));
    assertEquals(51, events.size());
    assertEquals(50, events.get(0).getProgress().getTotalSteps());
    assertEquals(49, events.get(0).getProgress().getTimestep());
    SampleResult result = events.get(50).getResult();
    assertEquals(50, result.getSteps());
    assertArrayEquals(twice(TARGET), TensorCodec.toBytes(result.getImages(), "images"));

    int calls = denoiser.versionsAsked.size();
    SampleResult unchanged = result(request(2).setImageToImage(ImageToImage.newBuilder()
        .setInitImages(pngs(INIT)).setStrength(0.004)));
    assertArrayEquals(twice(INIT), TensorCodec.toBytes(unchanged.getImages(), "images"));
    assertEquals(0, unchanged.getSteps());
    assertEquals(calls, denoiser.versionsAsked.size());
  }

  @Test
  void inpaintingKeepsTheMaskedPixelsAndDrawsTheRestWithAndWithoutResampling() {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(TARGET)));
    byte[] mask = new byte[SHAPE.size()];
    for (int j = 0; j < mask.length; j++) {
      mask[j] = (byte) (j / SHAPE.channels() % SHAPE.width() < 2 ? 255 : 0);
    }
    byte[] expected = new byte[SHAPE.size()];
    for (int j = 0; j < expected.length; j++) {
      expected[j] = mask[j] != 0 ? INIT[j] : TARGET[j];
    }
    for (int jumpNSample : new int[] {0, 2}) {
      SampleResult result = result(request(2).setInpainting(Inpainting.newBuilder().setInitImages(tensor(INIT))
          .setMask(pngs(mask)).setJumpLength(5).setJumpNSample(jumpNSample)));
      assertArrayEquals(twice(expected), TensorCodec.toBytes(result.getImages(), "images"), "r = " + jumpNSample);
      // r = 2: one jump of 5 back up from each of 0, 5, …, 90.
      assertEquals(jumpNSample == 2 ? 100 + 19 * 5 : 100, result.getSteps());
    }
  }

  @Test
  void interpolationGivesOneImagePerLambdaAndItsEndsAreImageToImageOfEachInput() {
    float[] mean = new float[SHAPE.size()];
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.5f);
    start(ExactEps.gaussian(SCHEDULE, mean, std));
    byte[] both = Arrays.copyOf(INIT, 2 * SHAPE.size());
    System.arraycopy(TARGET, 0, both, SHAPE.size(), SHAPE.size());
    SampleResult strip = result(request(3).setSampler(SamplerKind.DDIM).setInterpolation(Interpolation.newBuilder()
        .setImages(EditImages.newBuilder().setTensor(TensorCodec.uint8(both, 2, 4, 5, 3)))
        .addAllLambdas(List.of(0.0, 0.5, 1.0)).setStrength(0.3)));
    byte[] images = TensorCodec.toBytes(strip.getImages(), "images");
    for (int end = 0; end < 2; end++) {
      SampleResult alone = result(request(1).setSampler(SamplerKind.DDIM).setImageToImage(ImageToImage.newBuilder()
          .setInitImages(tensor(end == 0 ? INIT : TARGET)).setStrength(0.3)));
      assertArrayEquals(TensorCodec.toBytes(alone.getImages(), "images"),
          Arrays.copyOfRange(images, 2 * end * SHAPE.size(), (2 * end + 1) * SHAPE.size()), "λ = " + end);
    }
  }

  @Test
  void previewsFollowTheirProgressEventsAndTheLastOfDdimIsTheResult() {
    float[] mean = new float[SHAPE.size()];
    float[] std = new float[SHAPE.size()];
    Arrays.fill(std, 0.5f);
    start(ExactEps.gaussian(SCHEDULE, mean, std));
    List<SampleResponse> events = collect(request(2).setSampler(SamplerKind.DDIM).setPreviewEvery(30)
        .setPreviewXT(true).setPreviewPng(true));
    List<Integer> previewSteps = new ArrayList<>();
    SamplePreview last = null;
    for (int e = 0; e < events.size(); e++) {
      if (events.get(e).hasPreview()) {
        last = events.get(e).getPreview();
        previewSteps.add(last.getStep());
        assertEquals(last.getStep(), events.get(e - 1).getProgress().getStep(), "event " + e);
        assertEquals(DType.UINT8, last.getX0Hat().getDtype());
        assertEquals(List.of(2L, 4L, 5L, 3L), last.getXT().getShapeList());
        assertFalse(last.getPng().isEmpty());
      }
    }
    assertEquals(List.of(30, 60, 90, 100), previewSteps);
    SampleResult result = events.get(events.size() - 1).getResult();
    assertArrayEquals(TensorCodec.toBytes(result.getImages(), "images"), TensorCodec.toBytes(last.getX0Hat(), "x0"));
  }

  static Stream<Arguments> badEdits() {
    EditImages init = tensor(INIT);
    EditImages wrongShape = EditImages.newBuilder().setTensor(TensorCodec.uint8(new byte[20], 1, 4, 5, 1)).build();
    byte[] two = new byte[SHAPE.size()];
    two[3] = 2;
    return Stream.of(
        bad("image_to_image.strength", r -> r.setImageToImage(ImageToImage.newBuilder().setInitImages(init))),
        bad("image_to_image.strength",
            r -> r.setImageToImage(ImageToImage.newBuilder().setInitImages(init).setStrength(1.5))),
        bad("image_to_image.init_images: shape",
            r -> r.setImageToImage(ImageToImage.newBuilder().setInitImages(wrongShape).setStrength(0.5))),
        bad("image_to_image.init_images must hold either",
            r -> r.setImageToImage(ImageToImage.newBuilder().setStrength(0.5))),
        bad("image_to_image.init_images.png[0] must be an 8-bit PNG", r -> r.setImageToImage(ImageToImage.newBuilder()
            .setInitImages(EditImages.newBuilder().addPng(ByteString.copyFrom(PngImage.png(new byte[20], 4, 5, 1))))
            .setStrength(0.5))),
        bad("inpainting.mask must be 0 or 1", r -> r.setInpainting(Inpainting.newBuilder().setInitImages(init)
            .setMask(tensor(two)))),
        bad("inpainting.mask: a PNG mask must be 0 or 255", r -> r.setInpainting(Inpainting.newBuilder()
            .setInitImages(init).setMask(pngs(INIT)))),
        bad("inpainting.jump_length", r -> r.setInpainting(Inpainting.newBuilder().setInitImages(init)
            .setMask(tensor(new byte[SHAPE.size()])).setJumpNSample(3))),
        bad("interpolation.lambdas must hold", r -> r.setInterpolation(Interpolation.newBuilder()
            .setImages(pngs(INIT, INIT)).setStrength(0.5))),
        bad("interpolation.lambdas must be finite", r -> r.setInterpolation(Interpolation.newBuilder()
            .setImages(pngs(INIT, INIT)).addLambdas(Double.NaN).setStrength(0.5))),
        bad("interpolation.lambdas holds 2", r -> r.setInterpolation(Interpolation.newBuilder()
            .setImages(pngs(INIT, INIT)).addLambdas(0).addLambdas(1).setStrength(0.5))),
        bad("interpolation.images must hold 2", r -> r.setInterpolation(Interpolation.newBuilder()
            .setImages(init).addLambdas(0).setStrength(0.5))),
        bad("preview_every", r -> r.setPreviewEvery(-1)));
  }

  private static Arguments bad(String description, UnaryOperator<SampleRequest.Builder> change) {
    return Arguments.of(description, change);
  }

  @ParameterizedTest
  @MethodSource("badEdits")
  void badEditsAreInvalidArgumentsNamingTheFieldBeforeAnyDenoiserCall(
      String description, UnaryOperator<SampleRequest.Builder> change) {
    start(ExactEps.pointMass(SCHEDULE, Pixels.toModel(TARGET)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> collect(change.apply(request(1))));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith(description), e.getStatus().getDescription());
    assertEquals(0, denoiser.versionsAsked.size());
  }

  private void start(EpsModel eps) {
    try {
      ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
      denoiser = new FakeDenoiser(SHAPE, SCHEDULE, eps);
      ServerRunner denoiserServer =
          grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(), List.of(denoiser)));
      ServerRunner sampler = grpc.register(SamplerServer.start(new SamplerConfig(Endpoint.loopback(),
          denoiserServer.address(), scheduler.address(), 4, SamplerConfig.DEFAULT_DENOISER_CALL_TIMEOUT,
          RemoteScheduleSource.DEFAULT_CALL_TIMEOUT, SamplerConfig.DEFAULT_MAX_CONCURRENT_REQUESTS,
          SamplerConfig.DEFAULT_MAX_QUEUED_REQUESTS)));
      stub = SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
    } catch (IOException e) {
      throw new AssertionError("could not start the servers", e);
    }
  }

  private static SampleRequest.Builder request(int numImages) {
    return SampleRequest.newBuilder().setModel(FakeDenoiser.MODEL).setNumImages(numImages).setSeed(3);
  }

  private List<SampleResponse> collect(SampleRequest.Builder request) {
    List<SampleResponse> out = new ArrayList<>();
    stub.sample(request.build()).forEachRemaining(out::add);
    return out;
  }

  private SampleResult result(SampleRequest.Builder request) {
    List<SampleResponse> events = collect(request);
    return events.get(events.size() - 1).getResult();
  }

  private static EditImages tensor(byte[] image) {
    return EditImages.newBuilder().setTensor(TensorCodec.uint8(image, 1, 4, 5, 3)).build();
  }

  private static EditImages pngs(byte[]... images) {
    EditImages.Builder out = EditImages.newBuilder();
    for (byte[] image : images) {
      out.addPng(ByteString.copyFrom(PngImage.png(image, 4, 5, 3)));
    }
    return out.build();
  }

  private static byte[] twice(byte[] image) {
    byte[] out = Arrays.copyOf(image, 2 * image.length);
    System.arraycopy(image, 0, out, image.length, image.length);
    return out;
  }

  private static byte[] pattern(int step, int offset) {
    byte[] pixels = new byte[SHAPE.size()];
    for (int j = 0; j < pixels.length; j++) {
      pixels[j] = (byte) ((j * step + offset) % 256);
    }
    return pixels;
  }
}
