package ddpm.sampler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.sampler.core.LikelihoodEvaluator;
import ddpm.sampler.core.LikelihoodSpec;
import io.grpc.stub.StreamObserver;

/**
 * EvaluateLikelihood, as Sample runs ({@link QueuedCall}): on the same sampling threads and queue, so a likelihood
 * request counts against the sampler's limits and in its queue gauge like a Sample request (though not in
 * {@link SamplerMetrics}' active requests, steps and images, which count sampling), and stopped between denoiser calls once its caller goes away. A progress event goes out as
 * timesteps complete, then one result per image.
 */
final class LikelihoodCalls {
  private final LikelihoodEvaluator evaluator;
  private final SamplingThreads threads;

  @Inject
  LikelihoodCalls(LikelihoodEvaluator evaluator, SamplingThreads threads) {
    this.evaluator = evaluator;
    this.threads = threads;
  }

  void evaluate(LikelihoodRequest request, StreamObserver<LikelihoodResponse> observer) {
    QueuedCall.start(observer, threads, () -> {
      LikelihoodSpec spec = LikelihoodMessages.toSpec(request);
      return (call, cancelled) -> {
        LikelihoodEvaluator.Result result = evaluator.evaluate(spec,
            (done, total, timestep) -> call.onNext(LikelihoodMessages.progress(done, total)), cancelled);
        for (int i = 0; i < result.images().size(); i++) {
          call.onNext(LikelihoodMessages.image(i, result.model(), result.images().get(i)));
        }
      };
    });
  }
}
