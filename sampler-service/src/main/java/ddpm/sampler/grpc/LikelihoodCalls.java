package ddpm.sampler.grpc;

import com.google.inject.Inject;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.grpc.StatusMapper;
import ddpm.sampler.core.LikelihoodEvaluator;
import ddpm.sampler.core.LikelihoodSpec;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * EvaluateLikelihood, as Sample runs: validated and converted at once, then run on the sampling threads (the
 * same bounded threads and queue, so a likelihood request counts against the sampler's limits like a Sample
 * request), inside the caller's gRPC context, withdrawn from the queue or stopped between denoiser calls once
 * the caller goes away. A progress event goes out as timesteps complete, then one result per image.
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
    ServerCallStreamObserver<LikelihoodResponse> call = (ServerCallStreamObserver<LikelihoodResponse>) observer;
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicReference<Runnable> queued = new AtomicReference<>();
    call.setOnCancelHandler(() -> {
      cancelled.set(true);
      Runnable task = queued.get();
      if (task != null) {
        threads.withdraw(task);
      }
    });
    try {
      LikelihoodSpec spec = LikelihoodMessages.toSpec(request);
      Runnable task = Context.current().wrap(() -> run(spec, call, cancelled));
      queued.set(task);
      threads.execute(task);
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatus(e));
    }
  }

  private void run(LikelihoodSpec spec, ServerCallStreamObserver<LikelihoodResponse> call, AtomicBoolean cancelled) {
    if (cancelled.get()) {
      return;
    }
    metrics.requestStarted();
    try {
      LikelihoodEvaluator.Result result = evaluator.evaluate(spec,
          (done, total, timestep) -> call.onNext(LikelihoodMessages.progress(done, total)),
          () -> cancelled.get() || Context.current().isCancelled());
      for (int i = 0; i < result.images().size(); i++) {
        call.onNext(LikelihoodMessages.image(i, result.model(), result.images().get(i)));
      }
      call.onCompleted();
    } catch (RuntimeException | Error e) {
      if (!cancelled.get()) {
        call.onError(StatusMapper.toStatus(e));
      }
    } finally {
      metrics.requestEnded();
    }
  }
}
