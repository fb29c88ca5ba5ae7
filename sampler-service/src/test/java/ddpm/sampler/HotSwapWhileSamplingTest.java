package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.StepListener;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.schedule.RemoteScheduleSource;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.sampler.client.DenoiserClient;
import ddpm.sampler.client.PeerChannels;
import ddpm.sampler.core.ImageSampler;
import ddpm.sampler.core.SampleSpec;
import ddpm.sampler.core.Samples;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new version takes over while requests are half-way through: they finish on the version they started
 * with, none fails, and a request that starts after the swap gets the new version. Point masses make the
 * version visible in the pixels: version 1 returns image A exactly, version 2 image B.
 */
class HotSwapWhileSamplingTest {
  private static final ModelCard CARD = ExactDenoisers.card("point", 2, 2, 1, 100, "linear");
  private static final byte[] A = {10, 60, (byte) 140, (byte) 250};
  private static final byte[] B = {(byte) 200, 100, 30, 0};
  private static final int REQUESTS = 4;
  private static final int IMAGES = 2;
  private static final int PAUSE_AT_STEP = 10;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  @Test
  void requestsInFlightKeepTheirVersionAndNoneFailsWhileANewVersionTakesOver() throws Exception {
    ModelRepository repository = new ModelRepository(root);
    ExactDenoisers.publishPointMass(repository, CARD, Pixels.toModel(A));
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), root)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    ManagedChannel denoiserChannel = grpc.channelTo(denoiser);
    ManagedChannel schedulerChannel = grpc.channelTo(scheduler);
    SamplerConfig config = SamplerConfig.of(Endpoint.loopback(), denoiser.address(), scheduler.address());
    ImageSampler sampler = new ImageSampler(
        new DenoiserClient(new PeerChannels(denoiserChannel, schedulerChannel), config),
        new RemoteScheduleSource(schedulerChannel), config);

    CountDownLatch midway = new CountDownLatch(REQUESTS);
    CountDownLatch swapped = new CountDownLatch(1);
    StepListener pauseForTheSwap = (step, total, timestep) -> {
      if (step == PAUSE_AT_STEP) {
        midway.countDown();
        Latches.await(swapped);
      }
    };
    ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
    grpc.register((AutoCloseable) threads::shutdownNow);
    List<CompletableFuture<Samples>> inFlight = new ArrayList<>();
    for (int r = 0; r < REQUESTS; r++) {
      SampleSpec spec = spec(r);
      inFlight.add(CompletableFuture.supplyAsync(() -> sampler.sample(spec, pauseForTheSwap, () -> false), threads));
    }
    Latches.await(midway);

    ExactDenoisers.publishPointMass(repository, CARD, Pixels.toModel(B));
    assertEquals(2, ModelControlServiceGrpc.newBlockingStub(denoiserChannel).withDeadlineAfter(1, TimeUnit.MINUTES)
        .loadModel(LoadModelRequest.newBuilder().setModel("point").build()).getVersion());
    Samples after = sampler.sample(spec(REQUESTS), (step, total, timestep) -> {}, () -> false);
    swapped.countDown();

    assertEquals(2, after.model().version());
    assertImages(B, after);
    for (CompletableFuture<Samples> request : inFlight) {
      Samples samples = request.get(5, TimeUnit.MINUTES);
      assertEquals(1, samples.model().version());
      assertImages(A, samples);
    }
  }

  private static SampleSpec spec(long seed) {
    return new SampleSpec("point", 0, IMAGES, SamplerSettings.ancestral(VarianceKind.FIXED_LARGE, false), 0, seed,
        0, null, new int[0], 0);
  }

  private static void assertImages(byte[] expected, Samples samples) {
    for (int i = 0; i < IMAGES; i++) {
      assertArrayEquals(expected, Arrays.copyOfRange(samples.pixels(), 4 * i, 4 * (i + 1)), "image " + i);
    }
  }
}
