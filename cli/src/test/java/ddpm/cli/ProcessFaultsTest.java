package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import ddpm.testing.SampleEvents;
import ddpm.testing.Slow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults that need real processes, started with `ddpm serve`: the only denoiser killed (SIGKILL) in the middle
 * of a request and started again on its port; a sampler stopped (SIGTERM) in the middle of a long request with a
 * health Watch open on it; and a sampler over two denoisers, one of which refuses what the other can serve (it
 * has unloaded the model, or its queue is full): a step it refuses is sampled on the other, and every request
 * completes with the images one healthy denoiser gives. The replica tests read from the refusing replica's
 * metrics that it did refuse, so a balancer that never reached it could not pass. Each test prints what it
 * measured.
 */
@Slow
class ProcessFaultsTest {
  private static final String MODEL = "gauss";
  /** Steps of each request in the replica tests, which send many. */
  private static final int REPLICA_STEPS = 50;

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

  /**
   * The sampler's only denoiser is killed as step {@code killAt} of a request is answered, and started again on
   * the same port: the sampler retries the step until it is back, and the request completes with the images it
   * gets undisturbed.
   */
  @Test
  void aRequestOutlivesAKillAndRestartOfTheOnlyDenoiser() throws Exception {
    int steps = 300;
    int killAt = 100;
    ServiceProcess denoiser = denoiser();
    String port = ServedProcesses.port(denoiser);
    ServiceProcess sampler = sampler(denoiser);
    ServedProcesses.awaitServing(scheduler, denoiser, sampler);
    byte[] undisturbed = SampleEvents.images(sample(sampler, steps));

    Iterator<SampleResponse> events = sample(sampler, steps);
    while (events.next().getProgress().getStep() < killAt) {
      // Steps before the kill.
    }
    long killed = System.nanoTime();
    denoiser.kill();
    ServiceProcess restarted = denoiser("--port", port);
    long listening = System.nanoTime();
    byte[] images = SampleEvents.images(events);
    long completed = System.nanoTime();

    assertArrayEquals(undisturbed, images);
    assertEquals(denoiser.address(), restarted.address());
    System.out.printf("denoiser kill -9 at step %d of %d: the new process listened %.1f s later, and the request"
        + " completed %.1f s after the kill%n", killAt, steps, seconds(listening - killed),
        seconds(completed - killed));
  }

  /**
   * SIGTERM reaches a sampler serving a long request, with a health Watch open on it and a drain timeout of five
   * minutes: the Watch sees NOT_SERVING and ends, the request completes every step, and the process exits
   * gracefully (143) right after it instead of at the end of the drain.
   */
  @Test
  void aStoppedSamplerFinishesItsRequestAndExitsRightAfter() throws Exception {
    int steps = 1000;
    int stopAt = 100;
    ServiceProcess denoiser = denoiser();
    ServiceProcess sampler = processes.serve("sampler", "--scheduler", scheduler.address(),
        "--denoiser", denoiser.address(), "--drain-timeout", "300");
    ServedProcesses.awaitServing(scheduler, denoiser, sampler);
    Iterator<HealthCheckResponse> watch = HealthGrpc.newBlockingStub(processes.channelTo(sampler))
        .withDeadlineAfter(5, TimeUnit.MINUTES).watch(HealthCheckRequest.getDefaultInstance());
    assertEquals(ServingStatus.SERVING, watch.next().getStatus());
    CountDownLatch reached = new CountDownLatch(1);
    AtomicLong completed = new AtomicLong();
    CompletableFuture<Integer> events = CompletableFuture.supplyAsync(() -> {
      int count = 0;
      for (Iterator<SampleResponse> it = sample(sampler, steps); it.hasNext(); ) {
        if (it.next().getProgress().getStep() == stopAt) {
          reached.countDown();
        }
        count++;
      }
      completed.set(System.nanoTime());
      return count;
    });
    Latches.await(reached);

    long stopping = System.nanoTime();
    CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> {
      try {
        return sampler.stop();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(ServingStatus.NOT_SERVING, watch.next().getStatus());
    long notServing = System.nanoTime();
    StatusRuntimeException ended = assertThrows(StatusRuntimeException.class, watch::hasNext);
    assertEquals(Status.Code.UNAVAILABLE, ended.getStatus().getCode(), ended.toString());
    assertEquals(steps + 1, events.get(2, TimeUnit.MINUTES));
    assertEquals(143, exitCode.get(2, TimeUnit.MINUTES));
    long exited = System.nanoTime();

    assertTrue(completed.get() > notServing, "the request ended before the drain began");
    System.out.printf("sampler SIGTERM at step %d of %d: NOT_SERVING after %.2f s, the request completed %.1f s"
        + " after the signal, the process exited %.2f s after that%n", stopAt, steps, seconds(notServing - stopping),
        seconds(completed.get() - stopping), seconds(exited - completed.get()));
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
    return SampleEvents.images(processes.sample(sampler, SampleRequest.newBuilder().setModel(MODEL)
        .setSteps(REPLICA_STEPS).setNumImages(4).setSeed(seed).build()));
  }

  private Iterator<SampleResponse> sample(ServiceProcess sampler, int steps) {
    return processes.sample(sampler, SampleRequest.newBuilder().setModel(MODEL).setSteps(steps).setNumImages(4)
        .setSeed(11).build());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
