package ddpm.sampler;

import com.google.inject.Guice;
import com.google.inject.Injector;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserModule;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.grpc.DenoiserGrpcService;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real denoiser over a test's repository, as DenoiserServer starts it, counting the steps (PredictNoise
 * calls) that reach it; the step numbered {@code n} may first run an action, and every step may be refused
 * with a status of the test's choosing before it reaches the denoiser (a full queue, say).
 */
final class DenoiserReplica implements AutoCloseable {
  private static final String PREDICT_NOISE = DenoiserServiceGrpc.getPredictNoiseMethod().getFullMethodName();

  final AtomicInteger steps = new AtomicInteger();
  /** Counted down once the action of {@link #onStep} has run. */
  final CountDownLatch acted = new CountDownLatch(1);
  final Server server;
  final ModelRegistry models;
  private volatile int actAt = -1;
  private volatile Runnable action = () -> {};
  private volatile Status refusal;

  DenoiserReplica(Path repository) throws IOException {
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
    this.action = action;
    actAt = n;
  }

  /** Answers every later step with {@code status} (counting it) instead of serving it. */
  void refuseSteps(Status status) {
    refusal = status;
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
      if (!call.getMethodDescriptor().getFullMethodName().equals(PREDICT_NOISE)) {
        return next.startCall(call, headers);
      }
      if (steps.incrementAndGet() == actAt) {
        action.run();
        acted.countDown();
      }
      Status refused = refusal;
      if (refused != null) {
        call.close(refused, new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
