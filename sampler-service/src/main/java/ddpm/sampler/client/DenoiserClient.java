package ddpm.sampler.client;

import com.google.inject.Inject;
import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.DenoiserServiceGrpc.DenoiserServiceBlockingStub;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ModelInfo;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.failover.Failover;
import ddpm.repository.EpsContract;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.core.Denoiser;
import ddpm.sampler.core.ModelSpec;

/**
 * The denoiser service behind the {@link Denoiser} port. Every call is a {@link Failover}: a step or a model
 * info call refused by one replica (a version it does not have or has unloaded, a full queue, a replica
 * stopped or restarting) is tried on the others, and with backoff until the call's deadline, so that a
 * restarting denoiser loses no request; INVALID_ARGUMENT and the like come back as the StatusRuntimeException
 * the denoiser sent. Stubs are called on the request's own gRPC context, so every call carries the caller's
 * deadline and is cancelled with it; each call, retries included, also gets the configured per-call deadline,
 * so a denoiser that never answers fails the call with DEADLINE_EXCEEDED even when the caller set no deadline.
 */
public final class DenoiserClient implements Denoiser {
  private final DenoiserServiceBlockingStub stub;
  private final Failover failover;

  @Inject
  public DenoiserClient(PeerChannels channels, SamplerConfig config) {
    this.stub = DenoiserServiceGrpc.newBlockingStub(channels.denoiser());
    this.failover = new Failover("denoiser", config.denoiserCallTimeout());
  }

  @Override
  public ModelSpec describe(String model, long version) {
    GetModelInfoRequest request = GetModelInfoRequest.newBuilder().setModel(model).setVersion(version).build();
    ModelInfo info = failover.call(stub, denoiser -> denoiser.getModelInfo(request));
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
        ScheduleKind.parse(info.getSchedule(), "schedule"), info.getNumClasses(), info.getNullLabel());
  }

  @Override
  public EpsModel epsModel(ModelSpec model) {
    return new RemoteEpsModel(request -> failover.call(stub, denoiser -> denoiser.predictNoise(request)), model);
  }
}
