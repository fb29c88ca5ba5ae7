package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.Pixels;
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
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The three services together: the spec's exact denoisers as SavedModels, served by the real denoiser. */
class SamplerWithRealDenoiserTest {
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

  @Test
  void anUnknownModelIsNotFoundFromTheDenoiser() throws IOException {
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> result(stub.sample(SampleRequest.newBuilder().setModel("absent").setNumImages(1).build())));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  private SamplerServiceGrpc.SamplerServiceBlockingStub startSuite() throws IOException {
    ServerRunner denoiser = grpc.register(DenoiserServer.start(new DenoiserConfig("127.0.0.1", 0, root)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig("127.0.0.1", 0)));
    ServerRunner sampler = grpc.register(SamplerServer.start(new SamplerConfig(
        "127.0.0.1", 0, denoiser.address(), scheduler.address(), SamplerConfig.DEFAULT_MAX_IMAGES)));
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
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
