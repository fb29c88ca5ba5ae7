package ddpm.sampler.client;

import ddpm.api.v1.PredictNoiseRequest;
import ddpm.api.v1.PredictNoiseResponse;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.EpsModel;
import ddpm.diffusion.sampling.ExtraInputs;
import ddpm.grpc.TensorCodec;
import ddpm.repository.EpsContract;
import ddpm.sampler.core.ModelSpec;
import java.util.function.Function;

/**
 * ε_θ as one PredictNoise call per batch, always naming the pinned model version and carrying the batch's
 * extra inputs, if any, in the request's {@code inputs}. A step is idempotent, so any replica may answer it
 * (the denoiser client retries it on another, see ddpm.grpc.failover.Failover).
 */
final class RemoteEpsModel implements EpsModel {
  private final Function<PredictNoiseRequest, PredictNoiseResponse> predictNoise;
  private final ModelSpec model;

  /** {@code predictNoise} makes one PredictNoise call, with its deadline. */
  RemoteEpsModel(Function<PredictNoiseRequest, PredictNoiseResponse> predictNoise, ModelSpec model) {
    this.predictNoise = predictNoise;
    this.model = model;
  }

  @Override
  public float[] predict(float[] xt, int[] t) {
    return predict(xt, t, ExtraInputs.NONE);
  }

  @Override
  public float[] predict(float[] xt, int[] t, ExtraInputs inputs) {
    ImageShape shape = model.imageShape();
    PredictNoiseRequest.Builder request = PredictNoiseRequest.newBuilder()
        .setModel(model.name())
        .setVersion(model.version())
        .setXT(TensorCodec.float32(xt, t.length, shape.height(), shape.width(), shape.channels()))
        .setT(TensorCodec.int32(t, t.length));
    inputs.asMap().forEach((name, input) -> request.putInputs(name, TensorCodec.tensor(input)));
    PredictNoiseResponse response = predictNoise.apply(request.build());
    if (response.getVersion() != model.version()) {
      throw new IllegalStateException("asked " + model.name() + " version " + model.version()
          + ", the denoiser answered with version " + response.getVersion());
    }
    return TensorCodec.toFloats(response.getEps(), EpsContract.EPS);
  }
}
