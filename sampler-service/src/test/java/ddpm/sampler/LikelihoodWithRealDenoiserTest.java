package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.ImageLikelihoodResult;
import ddpm.api.v1.LikelihoodBound;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.api.v1.VarianceKind;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.sampling.NoiseStreams;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GaussianBound;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * EvaluateLikelihood end to end: the exact Gaussian denoiser of docs/math.md §7 as a real SavedModel, served by the
 * real denoiser, against the bound computed independently in float64 ({@link GaussianBound}).
 */
class LikelihoodWithRealDenoiserTest {
  private static final int TIMESTEPS = 100;
  private static final float MEAN = 0.1f;
  private static final float STD = 0.4f;
  private static final int IMAGES = 4;
  private static final int VALUES = 16;
  private static final long SEED = 5;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  /**
   * 8-bit images drawn from N(0.1, 0.4²), every term of both bounds against GaussianBound's. The SavedModel
   * computes ε in float32 from a float32 x_t; GaussianBound stays in float64 throughout. Tolerance: each term
   * within 1e-4 of its value plus 1e-10 bits/dim (the worst seen is 1.7e-5, on terms of 1e-6 near t = T − 1,
   * where x0_hat divides the float32 rounding of ε by √ᾱ ≈ 0.005), the total within 1e-6 relative.
   */
  @Test
  void everyTermOfAGaussianWithItsExactEpsIsTheClosedForm() throws IOException {
    ExactDenoisers.publishGaussian(new ModelRepository(root),
        ExactDenoisers.card("gauss", 4, 4, 1, TIMESTEPS, "linear"), MEAN, STD);
    byte[] pixels = gaussianPixels();
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();

    List<ImageLikelihoodResult> results = new ArrayList<>();
    stub.withDeadlineAfter(5, TimeUnit.MINUTES).evaluateLikelihood(LikelihoodRequest.newBuilder()
            .setModel("gauss").setSeed(SEED).setImages(TensorCodec.uint8(pixels, IMAGES, 4, 4, 1)).build())
        .forEachRemaining(event -> {
          if (event.hasImage()) {
            results.add(event.getImage());
          }
        });

    assertEquals(IMAGES, results.size());
    double[] betas = NoiseSchedule.of(ScheduleKind.LINEAR, TIMESTEPS).betas();
    for (int i = 0; i < IMAGES; i++) {
      byte[] image = Arrays.copyOfRange(pixels, i * VALUES, (i + 1) * VALUES);
      double[][] noise = noise(i);
      for (LikelihoodBound bound : results.get(i).getBoundsList()) {
        GaussianBound.Terms expected = GaussianBound.of(betas, MEAN, STD, image, noise,
            bound.getVariance() == VarianceKind.FIXED_LARGE);
        String where = "image " + i + ", " + bound.getVariance();
        assertEquals(expected.prior(), bound.getPrior(), 1e-12, where + ", prior");
        for (int t = 0; t < TIMESTEPS; t++) {
          double term = expected.terms()[t];
          assertEquals(term, bound.getTerms(t), 1e-4 * Math.abs(term) + 1e-10, where + ", term " + t);
        }
        assertEquals(expected.total(), bound.getBitsPerDim(), 1e-6 * expected.total(), where + ", total");
      }
    }
  }

  @Test
  void anUnknownVersionIsNotFoundFromTheDenoiser() throws IOException {
    ExactDenoisers.publishGaussian(new ModelRepository(root),
        ExactDenoisers.card("gauss", 4, 4, 1, TIMESTEPS, "linear"), MEAN, STD);
    SamplerServiceGrpc.SamplerServiceBlockingStub stub = startSuite();

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.evaluateLikelihood(
        LikelihoodRequest.newBuilder().setModel("gauss").setVersion(9)
            .setImages(TensorCodec.uint8(gaussianPixels(), IMAGES, 4, 4, 1)).build()).forEachRemaining(event -> { }));

    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("version 9"), e.getStatus().getDescription());
  }

  /** Image i's noise as the sampler draws it: stream i of the seed, one block per timestep from T − 1 down. */
  private static double[][] noise(int image) {
    NoiseStreams stream = new NoiseStreams(SEED, image, 1, VALUES);
    double[][] noise = new double[TIMESTEPS][];
    for (int t = TIMESTEPS - 1; t >= 0; t--) {
      noise[t] = stream.next();
    }
    return noise;
  }

  private static byte[] gaussianPixels() {
    SplittableRandom random = new SplittableRandom(2);
    float[] x = new float[IMAGES * VALUES];
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) (MEAN + STD * random.nextGaussian());
    }
    return Pixels.toPixels(x);
  }

  private SamplerServiceGrpc.SamplerServiceBlockingStub startSuite() throws IOException {
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    ServerRunner sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback(), denoiser.address(), scheduler.address())));
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler));
  }
}
