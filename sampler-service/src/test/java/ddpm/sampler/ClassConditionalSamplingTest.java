package ddpm.sampler;

import static ddpm.testing.SampleEvents.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.SamplerServiceGrpc.SamplerServiceBlockingStub;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.exact.GaussianClasses;
import ddpm.diffusion.guidance.ClassConditioning;
import ddpm.diffusion.guidance.GuidanceInterval;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class labels and guidance through the three real services on loopback. The denoiser serves two Gaussian classes
 * as a real class-conditional SavedModel "classes" (test-support's exportGaussianClasses: diffusion-core's
 * {@link GaussianClasses}, their exact conditional and unconditional ε, behind the input y), and one Gaussian as the
 * unconditional model "plain".
 */
class ClassConditionalSamplingTest {
  private static final ImageShape SHAPE = new ImageShape(4, 4, 1);
  private static final NoiseSchedule FULL = NoiseSchedule.of(ScheduleKind.LINEAR, 1000);
  private static final int STEPS = 50;
  private static final double[] MEANS = {-0.5, 0.5};
  private static final double S = 0.2;
  private static final double[] STDS = {S, S};
  private static final double[] PRIORS = {1, 1};
  private static final GaussianClasses CLASSES = new GaussianClasses(FULL, SHAPE.size(), MEANS, STDS, PRIORS);

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;
  private ServerRunner sampler;

  @BeforeEach
  void startSuite() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    ModelCard card = ExactDenoisers.card("classes", SHAPE.height(), SHAPE.width(), SHAPE.channels(), 1000, "linear");
    ExactDenoisers.publishGaussianClasses(repository, card, MEANS, STDS, PRIORS);
    ExactDenoisers.publishGaussian(repository, card.withName("plain"), 0, 0.5f);
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback(), denoiser.address(), scheduler.address())));
  }

  /**
   * 64 images labelled 0, 1, 0, 1…: 512 values per class, so each class's mean has standard error 0.2/sqrt(512) =
   * 0.009; tolerances are 5 of them plus 0.01 for DDIM-50's shrinkage of a Gaussian (under 8.5 % of s) and the
   * 8-bit output. Lost labels would give every image the mixture, mean 0 and deviation 0.54.
   */
  @Test
  void eachImageComesFromItsLabelsClassAndTheResultEchoesOneLabelPerImage() {
    int[] labels = new int[64];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 2;
    }
    SampleResult result = result(blocking().sample(request(labels, 0, labels.length, 5)));
    assertEquals(asList(labels), result.getClassLabelsList());
    float[] x = Pixels.toModel(TensorCodec.toBytes(result.getImages(), "images"));
    for (int k = 0; k < 2; k++) {
      double sum = 0;
      double squares = 0;
      int n = 0;
      for (int i = k; i < labels.length; i += 2) {
        for (int p = 0; p < SHAPE.size(); p++) {
          double v = x[i * SHAPE.size() + p];
          sum += v;
          squares += v * v;
          n++;
        }
      }
      double mean = sum / n;
      assertEquals(MEANS[k], mean, 5 * S / Math.sqrt(n) + 0.01, "mean of class " + k);
      assertEquals(S, Math.sqrt(squares / n - mean * mean), S * (5 / Math.sqrt(2.0 * n) + 0.09), "std of class " + k);
    }

    SampleResult one = result(blocking().sample(request(new int[] {1}, 0, 3, 5)));
    assertEquals(List.of(1, 1, 1), one.getClassLabelsList());
    SampleResult none = result(blocking().sample(request(new int[0], 0, 3, 5)));
    assertEquals(List.of(), none.getClassLabelsList());
  }

  /**
   * Three requests of the same seed sampled at once through the shared denoiser, one guided towards class 0 (w = 2),
   * one for class 1 unguided and one towards class 1 guided at t ≥ 500 only: each returns, to within 1 in every
   * pixel value, the images diffusion-core's own run of its labels, w and interval gives (the SavedModel computes ε
   * in float32, the Java run in float64), so none took another's labels or interval, nor a guided one its halves
   * crossed.
   */
  @Test
  void concurrentRequestsWithDifferentLabelsAndScalesEachGetTheirOwnImages() throws Exception {
    List<SampleRequest> requests = List.of(request(new int[] {0}, 2, 8, 11), request(new int[] {1}, 0, 8, 11),
        request(new int[] {1}, 2, 8, 11).toBuilder().setGuidanceInterval(interval(500, 999)).build());
    SamplerServiceGrpc.SamplerServiceStub async =
        SamplerServiceGrpc.newStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES);
    List<CompletableFuture<SampleResult>> results = new ArrayList<>();
    for (SampleRequest request : requests) {
      CompletableFuture<SampleResult> done = new CompletableFuture<>();
      async.sample(request, new SamplerWithRealDenoiserTest.ResultObserver(done));
      results.add(done);
    }
    for (int r = 0; r < requests.size(); r++) {
      SampleRequest request = requests.get(r);
      ClassConditioning allSteps = ClassConditioning.of(new int[] {request.getClassLabels(0)},
          request.getGuidanceScale(), request.getNumImages(), 2, 2);
      ddpm.api.v1.GuidanceInterval interval = request.getGuidanceInterval();
      ClassConditioning classes = request.hasGuidanceInterval() ? allSteps.guidedWithin(
          new GuidanceInterval(interval.getMinTimestep(), interval.getMaxTimestep()), FULL.timesteps()) : allSteps;
      float[] x0 = SamplerSettings.ddim(0, false).over(FULL.respace(STEPS)).sample(classes.guide(CLASSES), SHAPE,
          SampleBatch.of(request.getNumImages(), request.getSeed()).withInputs(classes.inputs()),
          (step, total, timestep) -> { }, () -> false);
      byte[] expected = Pixels.toPixels(x0);
      byte[] images = TensorCodec.toBytes(results.get(r).get(5, TimeUnit.MINUTES).getImages(), "images");
      for (int j = 0; j < images.length; j++) {
        int difference = Math.abs((images[j] & 0xFF) - (expected[j] & 0xFF));
        assertTrue(difference <= 1, "request " + r + " value " + j + " differs by " + difference);
      }
    }
  }

  @Test
  void badLabelsAndScalesAreInvalidArgumentNamingTheField() {
    assertInvalid("class_labels", r -> r.setModel("plain"));
    assertInvalid("class_labels", r -> r.clearClassLabels().addClassLabels(2));
    assertInvalid("class_labels", r -> r.clearClassLabels().addClassLabels(-1));
    assertInvalid("class_labels", r -> r.clearClassLabels().addClassLabels(0).addClassLabels(1));
    assertInvalid("guidance_scale", r -> r.setGuidanceScale(-0.5));
    assertInvalid("guidance_scale", r -> r.setGuidanceScale(Double.NaN));
    assertInvalid("guidance_scale", r -> r.setGuidanceScale(Double.POSITIVE_INFINITY));
    assertInvalid("guidance_scale", r -> r.clearClassLabels().setGuidanceScale(1));
    assertInvalid("guidance_interval", r -> r.setGuidanceInterval(interval(0, 10)));
    assertInvalid("guidance_interval", r -> r.setGuidanceScale(1).setGuidanceInterval(interval(3, 2)));
    assertInvalid("guidance_interval", r -> r.setGuidanceScale(1).setGuidanceInterval(interval(-1, 2)));
    assertInvalid("guidance_interval", r -> r.setGuidanceScale(1).setGuidanceInterval(interval(0, 1000)));
  }

  private static ddpm.api.v1.GuidanceInterval interval(int min, int max) {
    return ddpm.api.v1.GuidanceInterval.newBuilder().setMinTimestep(min).setMaxTimestep(max).build();
  }

  /** A valid request for 3 images of class 1 after {@code edit}: INVALID_ARGUMENT whose description starts with the field. */
  private void assertInvalid(String field, UnaryOperator<SampleRequest.Builder> edit) {
    SampleRequest request = edit.apply(request(new int[] {1}, 0, 3, 1).toBuilder()).build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> result(blocking().sample(request)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(String.valueOf(e.getStatus().getDescription()).startsWith(field), e.getStatus().toString());
  }

  private SamplerServiceBlockingStub blocking() {
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES);
  }

  private static SampleRequest request(int[] labels, double guidanceScale, int numImages, long seed) {
    return SampleRequest.newBuilder().setModel("classes").setNumImages(numImages).setSeed(seed)
        .setSampler(SamplerKind.DDIM).setSteps(STEPS).addAllClassLabels(asList(labels))
        .setGuidanceScale(guidanceScale).build();
  }

  private static List<Integer> asList(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
