package ddpm.sampler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.StatusMapper;
import ddpm.sampler.core.ImageSampler;
import ddpm.sampler.core.SamplePreviews;
import ddpm.sampler.core.SampleSpec;
import ddpm.sampler.core.Samples;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sample: validates and converts the request, then runs it on the sampling threads, so a long request
 * holds a sampling thread rather than one of gRPC's; when every thread is busy it waits in their bounded
 * queue, which it leaves as soon as its caller cancels or its deadline passes ({@link SamplingThreads}). The
 * request runs inside the caller's gRPC context: every denoiser and scheduler call inherits the caller's
 * deadline and is cancelled with the call. A progress event goes out after every step (K small messages, in
 * order), with a preview after the steps the request's preview_every asks for, then the result.
 */
public final class SamplerGrpcService extends SamplerServiceGrpc.SamplerServiceImplBase {
  public static final String EXECUTOR = "sampling";

  private final ImageSampler sampler;
  private final SamplingThreads threads;
  private final SamplerMetrics metrics;

  @Inject
  public SamplerGrpcService(ImageSampler sampler, SamplingThreads threads, SamplerMetrics metrics) {
    this.sampler = sampler;
    this.threads = threads;
    this.metrics = metrics;
  }

  @Override
  public void sample(SampleRequest request, StreamObserver<SampleResponse> observer) {
    ServerCallStreamObserver<SampleResponse> call = (ServerCallStreamObserver<SampleResponse>) observer;
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicReference<Runnable> queued = new AtomicReference<>();
    // With a handler set, a progress event sent after the client went away is dropped instead of thrown.
    call.setOnCancelHandler(() -> {
      cancelled.set(true);
      Runnable task = queued.get();
      if (task != null) {
        threads.withdraw(task);
      }
    });
    try {
      SampleSpec spec = SampleMessages.toSpec(request);
      SamplePreviews previews = (step, total, timestep, xt, x0Hat, shape) -> call.onNext(SampleMessages.preview(
          step, total, timestep, xt, x0Hat, shape, request.getPreviewXT(), request.getPreviewPng()));
      Runnable task = Context.current().wrap(() -> run(spec, request.getIncludePng(), previews, call, cancelled));
      queued.set(task);
      threads.execute(task);
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatus(e));
    }
  }

  private void run(SampleSpec spec, boolean includePng, SamplePreviews previews,
      ServerCallStreamObserver<SampleResponse> call, AtomicBoolean cancelled) {
    if (cancelled.get()) {
      // The caller went away while the request waited for a thread.
      return;
    }
    try {
      Samples samples = sample(spec, previews, call, cancelled);
      call.onNext(SampleMessages.result(samples, includePng));
      call.onCompleted();
    } catch (RuntimeException | Error e) {
      if (!cancelled.get()) {
        call.onError(StatusMapper.toStatus(e));
      }
    }
  }

  private Samples sample(SampleSpec spec, SamplePreviews previews, ServerCallStreamObserver<SampleResponse> call,
      AtomicBoolean cancelled) {
    metrics.requestStarted();
    try {
      Samples samples = sampler.sample(spec,
          (step, total, timestep) -> {
            // Counted before the event goes out: a client that has seen a step also sees it counted.
            metrics.stepDone();
            call.onNext(SampleMessages.progress(step, total, timestep));
          },
          previews,
          () -> cancelled.get() || Context.current().isCancelled());
      metrics.imagesDone(samples.numImages());
      return samples;
    } finally {
      metrics.requestEnded();
    }
  }
}
