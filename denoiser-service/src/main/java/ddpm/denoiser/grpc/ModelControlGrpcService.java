package ddpm.denoiser.grpc;

import ddpm.api.v1.ClearDefaultVersionRequest;
import ddpm.api.v1.ClearDefaultVersionResponse;
import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.SetDefaultVersionRequest;
import ddpm.api.v1.UnloadModelRequest;
import ddpm.api.v1.UnloadModelResponse;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.VersionedCard;
import ddpm.grpc.Responses;
import io.grpc.stub.StreamObserver;

/** ddpm.v1.ModelControlService: the operator's LoadModel and UnloadModel, and the pinned default version. */
public final class ModelControlGrpcService extends ModelControlServiceGrpc.ModelControlServiceImplBase {
  private final ModelRegistry registry;

  public ModelControlGrpcService(ModelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void loadModel(LoadModelRequest request, StreamObserver<ModelInfo> observer) {
    Responses.unaryAsync(observer,
        () -> registry.load(request.getModel(), request.getVersion()).thenApply(this::info));
  }

  @Override
  public void unloadModel(UnloadModelRequest request, StreamObserver<UnloadModelResponse> observer) {
    Responses.unary(observer, () -> {
      registry.unload(request.getModel(), request.getVersion());
      return UnloadModelResponse.getDefaultInstance();
    });
  }

  @Override
  public void setDefaultVersion(SetDefaultVersionRequest request, StreamObserver<ModelInfo> observer) {
    Responses.unaryAsync(observer,
        () -> registry.pin(request.getModel(), request.getVersion()).thenApply(this::info));
  }

  private ModelInfo info(VersionedCard card) {
    return ModelInfos.of(card, registry);
  }

  @Override
  public void clearDefaultVersion(ClearDefaultVersionRequest request,
      StreamObserver<ClearDefaultVersionResponse> observer) {
    Responses.unary(observer, () -> ClearDefaultVersionResponse.newBuilder()
        .setDefaultVersion(registry.unpin(request.getModel()).orElse(0))
        .build());
  }
}
