package ddpm.sampler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.sampler.core.LikelihoodEvaluator;
import ddpm.sampler.core.LikelihoodSpec;
import io.grpc.stub.StreamObserver;

/**
 * EvaluateLikelihood, as Sample runs ({@link QueuedCall}): on the same sampling threads and queue, so a likelihood
 * request counts against the sampler's limits like a Sample request, and stopped between denoiser calls once its
 * caller goes away. A progress event goes out as timesteps complete, then one result per image.
 */
final class LikelihoodCalls {
  private final LikelihoodEvaluator evaluator;
  private final SamplingThreads threads;
  private final SamplerMetrics metrics;

  @Inject
  LikelihoodCalls(LikelihoodEvaluator evaluator, SamplingThreads threads, SamplerMetrics metrics) {
    this.evaluator = evaluator;
    this.threads = threads;
    this.metrics = metrics;
  }

  void evaluate(LikelihoodRequest request, StreamObserver<LikelihoodResponse> observer) {
    QueuedCall.start(observer, threads, () -> {
      LikelihoodSpec spec = LikelihoodMessages.toSpec(request);
      return (call, cancelled) -> {
        metrics.requestStarted();
        try {
          LikelihoodEvaluator.Result result = evaluator.evaluate(spec,
              (done, total, timestep) -> call.onNext(LikelihoodMessages.progress(done, total)), cancelled);
          for (int i = 0; i < result.images().size(); i++) {
            call.onNext(LikelihoodMessages.image(i, result.model(), result.images().get(i)));
          }
        } finally {
          metrics.requestEnded();
        }
      };
    });
  }
}
