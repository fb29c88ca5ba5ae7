package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.Pixels;
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
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three services together: the exact denoisers of docs/math.md §7 as SavedModels, served by the real denoiser. */
class SamplerWithRealDenoiserTest {
  /** The most a pixel value (0..255) of a request sampled alongside others may differ from its solo run. */
  private static final int CONCURRENT_TOLERANCE = 1;
  private static final byte[] TARGET = {0, 17, 34, 51, 68, 85, 102, 119, (byte) 136, (byte) 153, (byte) 170,
      (byte) 187, (byte) 204, (byte) 221, (byte) 238, (byte) 255};

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  @Test
  void aPointMassSavedModelIsSampledExactlyWithItsResolvedVersion() throws IOException {
    ModelRepository repository = new ModelRepository(root);
    ModelCard card = ExactDenoisers.card("point", 4, 4, 1, 100, "cosine");
    ExactDenoisers.publishPointMass(repository, card, new float[16]);
    long latest = ExactDenoisers.publishPointMass(repository, card, Pixels.toModel(TARGET));
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();

    SampleResult result = result(stub.withDeadlineAfter(5, TimeUnit.MINUTES).sample(
        SampleRequest.newBuilder().setModel("point").setNumImages(3).setSeed(9).setIncludePng(true).build()));

    assertEquals(latest, result.getVersion());
    assertEquals(100, result.getSteps());
    byte[] images = TensorCodec.toBytes(result.getImages(), "images");
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(TARGET, Arrays.copyOfRange(images, 16 * i, 16 * (i + 1)), "image " + i);
    }
    assertTrue(result.getPng().size() > 0);
  }

  /**
   * 128 images of 16 pixels drawn from N(0.2, 0.3²) over 1,000 cosine steps: n = 2,048 values, so the mean has
   * standard error 0.3/sqrt(n) = 0.0066 and the standard deviation about 0.3/sqrt(2n) = 0.0047. Tolerances
   * are 5 standard errors plus 1% of s for the discretisation and the 8-bit output.
   */
  @Test
  void aGaussianSavedModelGivesItsMeanAndStandardDeviation() throws IOException {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.2f, 0.3f);
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();

    float[] x = Pixels.toModel(TensorCodec.toBytes(result(stub.withDeadlineAfter(5, TimeUnit.MINUTES).sample(
        SampleRequest.newBuilder().setModel("gauss").setNumImages(128).setSeed(4).build())).getImages(), "images"));

    double mean = 0;
    for (float v : x) {
      mean += v / x.length;
    }
    double variance = 0;
    for (float v : x) {
      variance += (v - mean) * (v - mean) / x.length;
    }
    int n = x.length;
    assertEquals(0.2, mean, 5 * 0.3 / Math.sqrt(n) + 0.003);
    assertEquals(0.3, Math.sqrt(variance), 5 * 0.3 / Math.sqrt(2.0 * n) + 0.003);
  }

  @ParameterizedTest
  @EnumSource(value = SamplerKind.class, names = {"ANCESTRAL", "DDIM", "DPM_SOLVER_PP_2M"})
  void everySamplerReturnsAPointMassSavedModelOverRespacedSteps(SamplerKind sampler) throws IOException {
    ExactDenoisers.publishPointMass(new ModelRepository(root), ExactDenoisers.card("point", 4, 4, 1, 1000, "linear"),
        Pixels.toModel(TARGET));
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();

    SampleResult result = result(stub.withDeadlineAfter(5, TimeUnit.MINUTES).sample(SampleRequest.newBuilder()
        .setModel("point").setNumImages(2).setSeed(3).setSampler(sampler).setSteps(20).setEta(0.5).build()));

    assertEquals(20, result.getSteps());
    byte[] images = TensorCodec.toBytes(result.getImages(), "images");
    assertArrayEquals(TARGET, Arrays.copyOf(images, 16));
    assertArrayEquals(TARGET, Arrays.copyOfRange(images, 16, 32));
  }

  /**
   * Several requests sampled at once through one denoiser: each returns its solo run's images to within
   * {@link #CONCURRENT_TOLERANCE} in every pixel value. A denoiser that batches concurrent requests together may
   * round ε differently than for a request alone, and a value near a rounding boundary of the 8-bit output can
   * then move by one; today each call runs alone and the images are identical.
   */
  @Test
  void concurrentRequestsEachReturnTheirSoloImages() throws Exception {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.1f, 0.4f);
    ServerRunner sampler = startSampler();
    List<SampleRequest> requests = List.of(
        concurrent(SamplerKind.ANCESTRAL, 0, 50, 8, 1),
        concurrent(SamplerKind.DDIM, 0.5, 40, 5, 2),
        concurrent(SamplerKind.DDIM, 0, 25, 3, 3),
        concurrent(SamplerKind.DPM_SOLVER_PP_2M, 0, 20, 6, 4),
        concurrent(SamplerKind.ANCESTRAL, 0, 50, 4, 1));
    SamplerServiceGrpc.SamplerServiceBlockingStub blocking =
        SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES);
    List<byte[]> solo = new ArrayList<>();
    for (SampleRequest request : requests) {
      solo.add(TensorCodec.toBytes(result(blocking.sample(request)).getImages(), "images"));
    }

    SamplerServiceGrpc.SamplerServiceStub async =
        SamplerServiceGrpc.newStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES);
    List<CompletableFuture<SampleResult>> together = new ArrayList<>();
    for (SampleRequest request : requests) {
      CompletableFuture<SampleResult> done = new CompletableFuture<>();
      async.sample(request, new ResultObserver(done));
      together.add(done);
    }

    for (int r = 0; r < requests.size(); r++) {
      byte[] images = TensorCodec.toBytes(together.get(r).get(5, TimeUnit.MINUTES).getImages(), "images");
      assertEquals(solo.get(r).length, images.length, "request " + r);
      for (int j = 0; j < images.length; j++) {
        int difference = Math.abs((images[j] & 0xFF) - (solo.get(r)[j] & 0xFF));
        assertTrue(difference <= CONCURRENT_TOLERANCE, "request " + r + " value " + j + " differs by " + difference);
      }
    }
  }

  @Test
  void anUnknownModelIsNotFoundFromTheDenoiser() throws IOException {
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> result(stub.sample(SampleRequest.newBuilder().setModel("absent").setNumImages(1).build())));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  private SamplerServiceGrpc.SamplerServiceBlockingStub startSuite() throws IOException {
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(startSampler()));
  }

  private ServerRunner startSampler() throws IOException {
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    return grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback(), denoiser.address(), scheduler.address())));
  }

  private static SampleRequest concurrent(SamplerKind sampler, double eta, int steps, int numImages, long seed) {
    return SampleRequest.newBuilder().setModel("gauss").setSampler(sampler).setEta(eta).setSteps(steps)
        .setNumImages(numImages).setSeed(seed).build();
  }

  /** Completes with the result event of a Sample stream, or with its error. */
  static final class ResultObserver implements StreamObserver<SampleResponse> {
    private final CompletableFuture<SampleResult> done;
    private SampleResult result;

    ResultObserver(CompletableFuture<SampleResult> done) {
      this.done = done;
    }

    @Override
    public void onNext(SampleResponse event) {
      if (event.hasResult()) {
        result = event.getResult();
      }
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onCompleted() {
      if (result == null) {
        done.completeExceptionally(new AssertionError("the stream ended without a result"));
      } else {
        done.complete(result);
      }
    }
  }

  private static SampleResult result(Iterator<SampleResponse> events) {
    SampleResponse last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    assertTrue(last != null && last.hasResult(), "the stream did not end with a result");
    return last.getResult();
  }
}
