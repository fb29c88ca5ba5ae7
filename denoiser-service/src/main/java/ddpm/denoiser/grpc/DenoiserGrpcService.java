package ddpm.denoiser.grpc;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.GetModelInfoRequest;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ListModelsResponse;
import ddpm.api.v1.ModelInfo;
import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.denoiser.core.ModelCatalog;
import ddpm.denoiser.core.ModelVersions;
import ddpm.denoiser.core.NoisePrediction;
import ddpm.denoiser.core.NoisePredictor;
import ddpm.denoiser.core.NoiseRequest;
import ddpm.denoiser.core.VersionedCard;
import ddpm.grpc.Responses;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import io.grpc.stub.StreamObserver;

/** ddpm.v1.DenoiserService: decodes requests, calls the core, encodes answers. */
public final class DenoiserGrpcService extends DenoiserServiceGrpc.DenoiserServiceImplBase {
  private final NoisePredictor predictor;
  private final ModelCatalog catalog;

  public DenoiserGrpcService(NoisePredictor predictor, ModelCatalog catalog) {
    this.predictor = predictor;
    this.catalog = catalog;
  }

  @Override
  public void predictNoise(PredictNoiseRequest request, StreamObserver<PredictNoiseResponse> observer) {
    Responses.unary(observer, () -> {
      NoisePrediction prediction = predictor.predict(new NoiseRequest(request.getModel(), request.getVersion(),
          TensorCodec.toFloats(request.getXT(), "x_t"), TensorCodec.shape(request.getXT()),
          TensorCodec.toInts(request.getT(), "t"), TensorCodec.shape(request.getT())));
      return PredictNoiseResponse.newBuilder()
          .setEps(TensorCodec.float32(prediction.eps(), prediction.shape()))
          .setModel(prediction.model())
          .setVersion(prediction.version())
          .build();
    });
  }

  @Override
  public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> observer) {
    Responses.unary(observer, () -> {
      VersionedCard versioned = catalog.describe(request.getModel(), request.getVersion());
      ModelCard card = versioned.card();
      return ModelInfo.newBuilder()
          .setName(versioned.name())
          .setVersion(versioned.version())
          .addAllImageShape(card.imageShape())
          .setTimesteps(card.timesteps())
          .setSchedule(card.schedule())
          .setPrediction(card.prediction())
          .setCardJson(card.toJsonString())
          .build();
    });
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    Responses.unary(observer, () -> {
      ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
      for (ModelVersions model : catalog.list()) {
        response.addModelsBuilder()
            .setName(model.name())
            .addAllVersions(model.versions())
            .setDefaultVersion(model.defaultVersion());
      }
      return response.build();
    });
  }
}
