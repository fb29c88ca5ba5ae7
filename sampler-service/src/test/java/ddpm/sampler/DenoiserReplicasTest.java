package ddpm.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserModule;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelRepository;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sampler over two real denoiser replicas (a static list), one of which stops in the middle of a request
 * while serving a step: the request completes with the images the same request gets from one healthy
 * replica. The stop is triggered by the replica itself as its {@link #STOP_AT}-th step arrives, so the stopped
 * replica always has that step in flight.
 */
class DenoiserReplicasTest {
  private static final int STEPS = 60;
  private static final int STOP_AT = 10;
  private static final String PREDICT_NOISE = DenoiserServiceGrpc.getPredictNoiseMethod().getFullMethodName();

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path root;

  private ServerRunner scheduler;
  private Replica healthy;
  private byte[] soloImages;

  @BeforeEach
  void startAHealthyReplicaAndSampleWithItAlone() throws IOException {
    ExactDenoisers.publishGaussian(new ModelRepository(root), ExactDenoisers.card("gauss", 4, 4, 1, 1000, "cosine"),
        0.1f, 0.4f);
    scheduler = grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback())));
    healthy = grpc.register(new Replica(root));
    soloImages = images(sampleThrough(healthy.address()));
    assertEquals(STEPS, healthy.steps.get());
    healthy.steps.set(0);
  }

  /**
   * A graceful stop (what ServerRunner.close does on SIGTERM): the step in flight finishes on the stopping
   * replica, and every later step goes to the other one, refused connections and GOAWAY being UNAVAILABLE.
   */
  @Test
  void aReplicaStoppedGracefullyFinishesItsStepAndTheRestGoToTheOther() throws IOException {
    Replica stopping = grpc.register(new Replica(root));
    stopping.onStep(STOP_AT, stopping.server::shutdown);

    byte[] images = images(sampleThrough(stopping.address() + "," + healthy.address()));

    assertTrue(stopping.stopped.getCount() == 0, "the replica served " + stopping.steps + " steps and was not stopped");
    assertArrayEquals(soloImages, images);
    assertEquals(STOP_AT, stopping.steps.get());
    assertEquals(STEPS - STOP_AT, healthy.steps.get());
  }

  /**
   * A crash: the replica's connections drop with its step in flight. The sampler sees UNAVAILABLE for that
   * step, and the channel retries it on the other replica, which so serves one step more than the rest.
   */
  @Test
  void theStepInFlightOnACrashedReplicaIsRetriedOnTheOther() throws IOException {
    Replica crashing = grpc.register(new Replica(root));
    TcpProxy connections = grpc.register(new TcpProxy(crashing.server.getPort()));
    crashing.onStep(STOP_AT, connections::kill);

    byte[] images = images(sampleThrough(connections.address() + "," + healthy.address()));

    assertTrue(crashing.stopped.getCount() == 0, "the replica served " + crashing.steps + " steps and did not crash");
    assertArrayEquals(soloImages, images);
    assertEquals(STOP_AT, crashing.steps.get());
    assertEquals(STEPS - STOP_AT + 1, healthy.steps.get());
  }

  private Iterator<SampleResponse> sampleThrough(String denoiserTarget) throws IOException {
    ServerRunner sampler = grpc.register(SamplerServer.start(SamplerConfig.of(
        Endpoint.loopback(), denoiserTarget, scheduler.address())));
    return SamplerServiceGrpc.newBlockingStub(grpc.channelTo(sampler)).withDeadlineAfter(5, TimeUnit.MINUTES)
        .sample(SampleRequest.newBuilder().setModel("gauss").setSampler(SamplerKind.ANCESTRAL).setSteps(STEPS)
            .setNumImages(4).setSeed(11).build());
  }

  private static byte[] images(Iterator<SampleResponse> events) {
    SampleResponse last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    assertTrue(last != null && last.hasResult(), "the stream did not end with a result");
    SampleResult result = last.getResult();
    return TensorCodec.toBytes(result.getImages(), "images");
  }

  /**
   * One real denoiser over the test's repository, as DenoiserServer starts it, counting the steps
   * (PredictNoise calls) that reach it; the step numbered {@code n} may first run an action.
   */
  private static final class Replica implements AutoCloseable {
    final AtomicInteger steps = new AtomicInteger();
    final CountDownLatch stopped = new CountDownLatch(1);
    final Server server;
    private final ModelRegistry models;
    private volatile int stopAt = -1;
    private volatile Runnable stop = () -> {};

    Replica(Path repository) throws IOException {
      Injector injector = Guice.createInjector(new DenoiserModule(DenoiserConfig.of(Endpoint.loopback(), repository)));
      models = injector.getInstance(ModelRegistry.class);
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .maxInboundMessageSize(Channels.MAX_MESSAGE_BYTES)
          .addService(ServerInterceptors.intercept(injector.getInstance(DenoiserGrpcService.class), new Counter()))
          .build()
          .start();
    }

    String address() {
      return "127.0.0.1:" + server.getPort();
    }

    /** Runs {@code action} as step {@code n} arrives, before the step is served. */
    void onStep(int n, Runnable action) {
      stop = action;
      stopAt = n;
    }

    @Override
    public void close() throws InterruptedException {
      server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      models.close();
    }

    private final class Counter implements ServerInterceptor {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getFullMethodName().equals(PREDICT_NOISE)
            && steps.incrementAndGet() == stopAt) {
          stop.run();
          stopped.countDown();
        }
        return next.startCall(call, headers);
      }
    }
  }
}
