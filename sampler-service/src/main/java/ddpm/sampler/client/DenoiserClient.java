package ddpm.sampler.client;

import com.google.inject.Inject;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.repository.EpsContract;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.core.Denoiser;
import ddpm.sampler.core.ModelSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The denoiser service behind the {@link Denoiser} port. Stubs are called on the request's own gRPC
 * context, so every call carries the caller's deadline and is cancelled with it; each call also gets the
 * configured per-call deadline, so a denoiser that never answers fails the call with DEADLINE_EXCEEDED even
 * when the caller set no deadline. The channel retries a call that fails with UNAVAILABLE on another replica
 * (see ddpm.grpc.PeerServiceConfig); any other denoiser error (NOT_FOUND for an unknown model, ...) comes
 * back as the StatusRuntimeException it sent.
 */
public final class DenoiserClient implements Denoiser {
  private final Supplier<DenoiserServiceBlockingStub> calls;

  @Inject
  public DenoiserClient(PeerChannels channels, SamplerConfig config) {
    DenoiserServiceBlockingStub stub = DenoiserServiceGrpc.newBlockingStub(channels.denoiser());
    Duration timeout = config.denoiserCallTimeout();
    // A deadline counts from when it is set: set per call, never once on a stub that lives for many calls.
    this.calls = () -> stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public ModelSpec describe(String model, long version) {
    ModelInfo info = calls.get().getModelInfo(
        GetModelInfoRequest.newBuilder().setModel(model).setVersion(version).build());
    if (!EpsContract.PREDICTION.equals(info.getPrediction())) {
      throw new IllegalStateException(model + " version " + info.getVersion() + " predicts \""
          + info.getPrediction() + "\"; the sampler needs \"" + EpsContract.PREDICTION + "\"");
    }
    if (info.getImageShapeCount() != 3) {
      throw new IllegalStateException(model + " version " + info.getVersion()
          + " has image_shape " + info.getImageShapeList() + "; [H, W, C] expected");
    }
    ImageShape shape = new ImageShape(info.getImageShape(0), info.getImageShape(1), info.getImageShape(2));
    return new ModelSpec(info.getName(), info.getVersion(), shape, info.getTimesteps(),
        ScheduleKind.parse(info.getSchedule(), "schedule"));
  }

  @Override
  public EpsModel epsModel(ModelSpec model) {
    return new RemoteEpsModel(calls, model);
  }
}
