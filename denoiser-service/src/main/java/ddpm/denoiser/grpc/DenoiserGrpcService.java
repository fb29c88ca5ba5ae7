package ddpm.denoiser.grpc;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ListModelsResponse;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.api.v1.Tensor;
import ddpm.denoiser.core.ModelCatalog;
import ddpm.denoiser.core.ModelRegistry;
import ddpm.denoiser.core.ModelVersions;
import ddpm.denoiser.core.NoisePredictor;
import ddpm.denoiser.core.NoiseRequest;
import ddpm.denoiser.core.VersionStatus;
import ddpm.diffusion.sampling.ExtraInput;
import ddpm.grpc.OrderedReplies;
import ddpm.grpc.Responses;
import ddpm.grpc.TensorCodec;
import ddpm.repository.EpsContract;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** ddpm.v1.DenoiserService: decodes requests, calls the core, encodes answers. */
public final class DenoiserGrpcService extends DenoiserServiceGrpc.DenoiserServiceImplBase {
  private final NoisePredictor predictor;
  private final ModelRegistry registry;
  private final ModelCatalog catalog;

  public DenoiserGrpcService(NoisePredictor predictor, ModelRegistry registry, ModelCatalog catalog) {
    this.predictor = predictor;
    this.registry = registry;
    this.catalog = catalog;
  }

  @Override
  public void predictNoise(PredictNoiseRequest request, StreamObserver<PredictNoiseResponse> observer) {
    Responses.unaryAsync(observer, () -> predict(request));
  }

  @Override
  public StreamObserver<PredictNoiseRequest> predictNoiseStream(StreamObserver<PredictNoiseResponse> observer) {
    return new OrderedReplies<>(observer, this::predict);
  }

  private CompletableFuture<PredictNoiseResponse> predict(PredictNoiseRequest request) {
    return predictor.predict(new NoiseRequest(request.getModel(), request.getVersion(),
            TensorCodec.toFloats(request.getXT(), EpsContract.X_T), TensorCodec.shape(request.getXT()),
            TensorCodec.toInts(request.getT(), EpsContract.T), TensorCodec.shape(request.getT()),
            extraInputs(request.getInputsMap())))
        .thenApply(prediction -> PredictNoiseResponse.newBuilder()
            .setEps(TensorCodec.float32(prediction.eps(), prediction.shape()))
            .setModel(prediction.model())
            .setVersion(prediction.version())
            .build());
  }

  /** Each extra input as sent; the predictor checks them against what the version declares. */
  private static Map<String, ExtraInput> extraInputs(Map<String, Tensor> tensors) {
    Map<String, ExtraInput> inputs = new TreeMap<>();
    tensors.forEach((name, tensor) ->
        inputs.put(name, TensorCodec.toExtraInput(tensor, NoiseRequest.inputField(name))));
    return inputs;
  }

  @Override
  public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> observer) {
    Responses.unary(observer,
        () -> ModelInfos.of(registry.describe(request.getModel(), request.getVersion()), registry));
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    Responses.unary(observer, () -> {
      ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
      for (ModelVersions model : catalog.list()) {
        ddpm.api.v1.ModelVersions.Builder versions = response.addModelsBuilder()
            .setName(model.name())
            .addAllVersions(model.versions())
            .setDefaultVersion(registry.servingDefault(model.name()).orElse(0))
            .setPinned(registry.pinned(model.name()).isPresent());
        for (VersionStatus status : registry.statuses(model)) {
          versions.addStatusesBuilder()
              .setVersion(status.version())
              .setState(ddpm.api.v1.VersionState.valueOf(status.state().name()))
              .setReason(status.reason())
              .setDevice(status.device())
              .setPrecision(status.precision())
              .setGroupNorm(status.groupNorm())
              .setNumClasses(catalog.numClasses(model.name(), status.version()));
        }
      }
      return response.build();
    });
  }
}
