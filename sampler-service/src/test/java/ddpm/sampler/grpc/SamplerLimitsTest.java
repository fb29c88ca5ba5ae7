package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.Responses;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.Latches;
import ddpm.testing.MetricsScrape;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sampler that runs 2 requests at once and queues 2 more, driving a denoiser that holds every request's first
 * call (GetModelInfo) until the test releases it: what runs, what waits, what is refused, and what leaves the
 * queue, seen through the sampler's queue gauge.
 */
class SamplerLimitsTest {
  private static final int RUNNING = 2;
  private static final int QUEUED = 2;
  private static final String QUEUE_GAUGE = "ddpm_sampler_queued_requests";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  private final HeldDenoiser denoiser = new HeldDenoiser();
  private ServerRunner sampler;
  private SamplerServiceGrpc.SamplerServiceStub stub;

  @BeforeEach
  void start() throws Exception {
    ServerRunner denoiserServer = grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(), List.of(denoiser)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback().withMetricsPort(0), denoiserServer.address(), scheduler.address())
        .withRequestLimits(RUNNING, QUEUED)));
    stub = SamplerServiceGrpc.newStub(grpc.channelTo(sampler)).withDeadlineAfter(1, TimeUnit.MINUTES);
  }

  @Test
  void requestsBeyondTheRunningAndQueuedOnesAreRefusedWithResourceExhaustedAndTheQueuedOnesRunLater()
      throws Exception {
    List<CompletableFuture<Void>> admitted = new ArrayList<>();
    for (int i = 0; i < RUNNING; i++) {
      admitted.add(sample(stub));
    }
    Latches.await(denoiser.arrived);
    for (int i = 0; i < QUEUED; i++) {
      admitted.add(sample(stub));
    }
    awaitQueued(QUEUED);
    assertEquals(RUNNING, scrape().value("ddpm_sampler_max_concurrent_requests"));
    assertEquals(QUEUED, scrape().value("ddpm_sampler_max_queued_requests"));

    Status refused = failure(sample(stub));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode());
    assertEquals("the sampler is full: 2 requests sampling and 2 waiting, the most it takes; retry with backoff, or"
        + " on another sampler replica", refused.getDescription());

    denoiser.release.countDown();
    for (CompletableFuture<Void> request : admitted) {
      request.join();
    }
    assertEquals(RUNNING + QUEUED, denoiser.modelInfoCalls.get());
    assertEquals(0, scrape().value(QUEUE_GAUGE));
  }

  /**
   * A queued request whose caller cancels it, and one whose deadline passes, leave the queue at once: each frees
   * its place for another request, and neither ever runs.
   */
  @Test
  void aQueuedRequestLeavesTheQueueWhenItsCallerCancelsOrItsDeadlinePasses() throws Exception {
    List<CompletableFuture<Void>> admitted = new ArrayList<>();
    for (int i = 0; i < RUNNING; i++) {
      admitted.add(sample(stub));
    }
    Latches.await(denoiser.arrived);
    Context.CancellableContext cancellable = Context.current().withCancellation();
    CompletableFuture<Void> cancelled = cancellable.call(() -> sample(stub));
    CompletableFuture<Void> expiring = sample(stub.withDeadlineAfter(3, TimeUnit.SECONDS));
    awaitQueued(2);

    cancellable.cancel(null);
    awaitQueued(1);
    admitted.add(sample(stub));
    awaitQueued(2);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, failure(expiring).getCode());
    awaitQueued(1);
    admitted.add(sample(stub));
    awaitQueued(2);

    denoiser.release.countDown();
    for (CompletableFuture<Void> request : admitted) {
      request.join();
    }
    assertEquals(Status.Code.CANCELLED, failure(cancelled).getCode());
    assertEquals(RUNNING + 2, denoiser.modelInfoCalls.get(), "the withdrawn requests never ran");
  }

  /** Starts a one-step request; completes when it ends, exceptionally with its status when it fails. */
  private static CompletableFuture<Void> sample(SamplerServiceGrpc.SamplerServiceStub stub) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    SampleRequest request = SampleRequest.newBuilder().setModel(HeldDenoiser.MODEL).setNumImages(1).setSteps(1).build();
    stub.sample(request, new StreamObserver<>() {
      @Override
      public void onNext(SampleResponse response) {}

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    return done;
  }

  private static Status failure(CompletableFuture<Void> request) {
    return Status.fromThrowable(assertThrows(CompletionException.class, request::join).getCause());
  }

  /**
   * Waits until the sampler's queue gauge reads {@code n}: the server admits calls on its own threads, so a
   * request sent is queued some time after the client sent it.
   */
  private void awaitQueued(int n) throws Exception {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (scrape().value(QUEUE_GAUGE) != n) {
      if (System.nanoTime() > giveUp) {
        throw new AssertionError("the sampler's queue never held " + n + " requests");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private MetricsScrape scrape() throws Exception {
    return MetricsScrape.of(sampler.metricsUrl().orElseThrow());
  }

  /**
   * A denoiser of one 2×2 model whose GetModelInfo, the first call of every request, waits until {@link #release}
   * opens; {@link #arrived} opens once {@link #RUNNING} of them wait. Its ε is zero.
   */
  private static final class HeldDenoiser extends DenoiserServiceGrpc.DenoiserServiceImplBase {
    static final String MODEL = "held";

    final CountDownLatch arrived = new CountDownLatch(RUNNING);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger modelInfoCalls = new AtomicInteger();

    @Override
    public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> observer) {
      Responses.unary(observer, () -> {
        modelInfoCalls.incrementAndGet();
        arrived.countDown();
        Latches.await(release);
        return ModelInfo.newBuilder().setName(MODEL).setVersion(1).addImageShape(2).addImageShape(2)
            .addImageShape(1).setTimesteps(100).setSchedule("linear").setPrediction("epsilon").build();
      });
    }

    @Override
    public void predictNoise(PredictNoiseRequest request, StreamObserver<PredictNoiseResponse> observer) {
      Responses.unary(observer, () -> PredictNoiseResponse.newBuilder()
          .setEps(TensorCodec.float32(new float[TensorCodec.toFloats(request.getXT(), "x_t").length],
              TensorCodec.shape(request.getXT())))
          .setModel(MODEL)
          .setVersion(1)
          .build());
    }
  }
}
