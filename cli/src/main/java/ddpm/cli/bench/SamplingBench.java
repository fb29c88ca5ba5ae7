package ddpm.cli.bench;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerKind;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.SampleBatch;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.diffusion.sampling.SamplingLoop;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.grpc.TensorCodec;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The timed runs of {@code ddpm bench}, each the same work done one way: DDIM (η = 0) over K steps of one model
 * version, in this JVM straight through DJL (the limit) or through the services over gRPC; and single ε calls
 * in this JVM, as unary PredictNoise calls, or over one PredictNoiseStream. Every method returns seconds.
 */
final class SamplingBench {
  private static final long DEADLINE_MINUTES = 30;

  private final String model;
  private final long version;
  private final ImageShape shape;
  private final int steps;
  private final SamplingLoop ddim;
  private final EpsModel local;

  SamplingBench(String model, long version, ImageShape shape, NoiseSchedule respaced, EpsModel local) {
    this.model = model;
    this.version = version;
    this.shape = shape;
    this.steps = respaced.steps();
    this.ddim = SamplerSettings.ddim(0, false).over(respaced);
    this.local = local;
  }

  /** One sampling run of {@code images} images in this JVM, no RPC. */
  double inProcess(int images) {
    long start = System.nanoTime();
    ddim.sample(local, shape, SampleBatch.of(images, 1), (step, total, timestep) -> {}, () -> false);
    return seconds(start);
  }

  /** {@code requests} Sample requests of {@code imagesEach} images at once, until the last has its images. */
  double overGrpc(Channel sampler, int requests, int imagesEach) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(requests);
    try {
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int r = 0; r < requests; r++) {
        SampleRequest request = SampleRequest.newBuilder().setModel(model).setVersion(version)
            .setNumImages(imagesEach).setSampler(SamplerKind.DDIM).setSteps(steps).setSeed(r).build();
        running.add(callers.submit(() -> {
          Iterator<SampleResponse> events = SamplerServiceGrpc.newBlockingStub(sampler)
              .withDeadlineAfter(DEADLINE_MINUTES, TimeUnit.MINUTES).sample(request);
          events.forEachRemaining(event -> {});
          return null;
        }));
      }
      for (Future<?> request : running) {
        request.get();
      }
      return seconds(start);
    } finally {
      callers.shutdownNow();
    }
  }

  /** Mean seconds of one ε evaluation of {@code images} images in this JVM, over K calls. */
  double localCall(int images) {
    long start = System.nanoTime();
    for (int k = 0; k < steps; k++) {
      local.predict(new float[images * shape.size()], timesteps(images, k));
    }
    return seconds(start) / steps;
  }

  /** Mean seconds of one unary PredictNoise call of {@code images} images, over K calls made one after another. */
  double unaryCall(Channel denoiser, int images) {
    var stub = DenoiserServiceGrpc.newBlockingStub(denoiser);
    long start = System.nanoTime();
    for (int k = 0; k < steps; k++) {
      stub.withDeadlineAfter(DEADLINE_MINUTES, TimeUnit.MINUTES).predictNoise(request(images, k));
    }
    return seconds(start) / steps;
  }

  /** As {@link #unaryCall}, over one PredictNoiseStream: each request waits for the previous reply, as a step does. */
  double streamCall(Channel denoiser, int images) throws InterruptedException {
    LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    StreamObserver<PredictNoiseRequest> stream = DenoiserServiceGrpc.newStub(denoiser)
        .withDeadlineAfter(DEADLINE_MINUTES, TimeUnit.MINUTES)
        .predictNoiseStream(new StreamObserver<>() {
          @Override
          public void onNext(PredictNoiseResponse reply) {
            replies.add(reply);
          }

          @Override
          public void onError(Throwable error) {
            replies.add(error);
          }

          @Override
          public void onCompleted() {}
        });
    long start = System.nanoTime();
    for (int k = 0; k < steps; k++) {
      stream.onNext(request(images, k));
      Object reply = replies.poll(DEADLINE_MINUTES, TimeUnit.MINUTES);
      if (!(reply instanceof PredictNoiseResponse)) {
        throw new IllegalStateException("PredictNoiseStream failed: " + reply);
      }
    }
    double perCall = seconds(start) / steps;
    stream.onCompleted();
    return perCall;
  }

  private PredictNoiseRequest request(int images, int k) {
    return PredictNoiseRequest.newBuilder().setModel(model).setVersion(version)
        .setXT(TensorCodec.float32(new float[images * shape.size()], images, shape.height(), shape.width(),
            shape.channels()))
        .setT(TensorCodec.int32(timesteps(images, k), images))
        .build();
  }

  private static int[] timesteps(int images, int k) {
    int[] t = new int[images];
    Arrays.fill(t, k);
    return t;
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
