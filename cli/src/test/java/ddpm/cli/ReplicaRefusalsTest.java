package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.SampleEvents;
import ddpm.testing.Slow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sampler over two denoiser processes, one of which refuses what the other can serve: a step it refuses is
 * sampled on the other, and every request completes with the images one healthy denoiser gives. Each test
 * reads from the refusing replica's metrics that it did refuse, so a balancer that never reached it could not
 * pass.
 */
@Slow
class ReplicaRefusalsTest {
  private static final String MODEL = "gauss";
  private static final int STEPS = 50;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  private final ServedProcesses processes = new ServedProcesses(grpc);
  @TempDir Path dir;
  private Path models;
  private ServiceProcess scheduler;

  @BeforeEach
  void publishAModelAndStartAScheduler() throws IOException {
    models = ServedProcesses.publishGaussian(dir, MODEL);
    scheduler = processes.serve("scheduler");
  }

  /** One replica has unloaded the model (UnloadModel): 20 of 20 requests complete, as they would on one. */
  @Test
  void aReplicaThatUnloadedTheModelLeavesItsStepsToTheOther() throws Exception {
    ServiceProcess unloaded = denoiser();
    ServiceProcess loaded = denoiser();
    ServedProcesses.awaitServing(scheduler, unloaded, loaded);
    ModelControlServiceGrpc.newBlockingStub(processes.channelTo(unloaded)).withDeadlineAfter(1, TimeUnit.MINUTES)
        .unloadModel(UnloadModelRequest.newBuilder().setModel(MODEL).setVersion(1).build());
    ServiceProcess sampler = sampler(loaded);
    ServiceProcess replicated = sampler(unloaded, loaded);
    ServedProcesses.awaitServing(sampler, replicated);
    byte[] expected = images(sampler, 0);

    for (int i = 0; i < 20; i++) {
      assertArrayEquals(expected, images(replicated, 0), "request " + i);
    }

    long refused = ServedProcesses.refused(unloaded, "PredictNoise")
        + ServedProcesses.refused(unloaded, "GetModelInfo");
    assertTrue(refused > 0, "the unloaded replica was never asked");
    System.out.printf("one of two denoisers unloaded: 20 of 20 requests completed; that replica refused %d calls%n",
        refused);
  }

  /**
   * One replica queues at most one call of four images: of 16 requests sent at once, every one completes with
   * the images it gets alone, the calls that replica refuses (RESOURCE_EXHAUSTED) going to the other.
   */
  @Test
  void aReplicaWithAFullQueueLeavesItsStepsToTheOther() throws Exception {
    ServiceProcess small = denoiser("--queue-capacity", "4", "--max-batch", "4", "--max-images-per-call", "4",
        "--engine-threads", "1");
    ServiceProcess large = denoiser();
    ServiceProcess sampler = sampler(large);
    ServiceProcess replicated = sampler(small, large);
    ServedProcesses.awaitServing(scheduler, small, large, sampler, replicated);
    int requests = 16;
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      expected.add(images(sampler, i));
    }

    List<CompletableFuture<byte[]>> sampled = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      int seed = i;
      sampled.add(CompletableFuture.supplyAsync(() -> images(replicated, seed)));
    }
    for (int i = 0; i < requests; i++) {
      assertArrayEquals(expected.get(i), sampled.get(i).get(ServedProcesses.PATIENCE.toSeconds(), TimeUnit.SECONDS),
          "request " + i);
    }

    long refused = ServedProcesses.refused(small, "PredictNoise");
    assertTrue(refused > 0, "the replica with a small queue never refused a call");
    System.out.printf("one of two denoisers with a queue of 4 images: %d of %d concurrent requests completed; that"
        + " replica refused %d calls%n", requests, requests, refused);
  }

  private ServiceProcess denoiser(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--models", models.toString(), "--metrics-port", "0"));
    all.addAll(List.of(args));
    return processes.serve("denoiser", all.toArray(String[]::new));
  }

  private ServiceProcess sampler(ServiceProcess... denoisers) throws IOException {
    List<String> addresses = new ArrayList<>();
    for (ServiceProcess denoiser : denoisers) {
      addresses.add(denoiser.address());
    }
    return processes.serve("sampler", "--scheduler", scheduler.address(), "--denoiser", String.join(",", addresses),
        "--denoiser-timeout", "60");
  }

  private byte[] images(ServiceProcess sampler, long seed) {
    return SampleEvents.images(processes.sample(sampler, SampleRequest.newBuilder().setModel(MODEL).setSteps(STEPS)
        .setNumImages(4).setSeed(seed).build()));
  }
}
