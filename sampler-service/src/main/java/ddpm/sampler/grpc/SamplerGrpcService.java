package ddpm.sampler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.sampler.core.ImageSampler;
import ddpm.sampler.core.SamplePreviews;
import ddpm.sampler.core.SampleSpec;
import ddpm.sampler.core.Samples;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;

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
  private final LikelihoodCalls likelihood;

  @Inject
  public SamplerGrpcService(ImageSampler sampler, SamplingThreads threads, SamplerMetrics metrics,
      LikelihoodCalls likelihood) {
    this.sampler = sampler;
    this.threads = threads;
    this.metrics = metrics;
    this.likelihood = likelihood;
  }

  @Override
  public void sample(SampleRequest request, StreamObserver<SampleResponse> observer) {
    QueuedCall.start(observer, threads, () -> {
      SampleSpec spec = SampleMessages.toSpec(request);
      return (call, cancelled) -> call.onNext(
          SampleMessages.result(sample(spec, request, call, cancelled), request.getIncludePng()));
    });
  }

  private Samples sample(SampleSpec spec, SampleRequest request, ServerCallStreamObserver<SampleResponse> call,
      BooleanSupplier cancelled) {
    SamplePreviews previews = (step, total, timestep, xt, x0Hat, shape) -> call.onNext(SampleMessages.preview(
        step, total, timestep, xt, x0Hat, shape, request.getPreviewXT(), request.getPreviewPng()));
    metrics.requestStarted();
    try {
      Samples samples = sampler.sample(spec,
          (step, total, timestep) -> {
            // Counted before the event goes out: a client that has seen a step also sees it counted.
            metrics.stepDone();
            call.onNext(SampleMessages.progress(step, total, timestep));
          },
          previews,
          cancelled);
      metrics.imagesDone(samples.numImages());
      return samples;
    } finally {
      metrics.requestEnded();
    }
  }

  @Override
  public void evaluateLikelihood(LikelihoodRequest request, StreamObserver<LikelihoodResponse> observer) {
    likelihood.evaluate(request, observer);
  }
}
