package ddpm.sampler.grpc;

import ddpm.api.v1.ImageLikelihoodResult;
import ddpm.api.v1.LikelihoodBound;
import ddpm.api.v1.LikelihoodProgress;
import ddpm.api.v1.LikelihoodRequest;
import ddpm.api.v1.LikelihoodResponse;
import ddpm.diffusion.likelihood.ImageBound;
import ddpm.diffusion.likelihood.ImageLikelihood;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.grpc.TensorCodec;
import ddpm.sampler.core.LikelihoodSpec;
import ddpm.sampler.core.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/** Conversions between the EvaluateLikelihood messages and the sampler's core types. */
final class LikelihoodMessages {
  /** The variances of a request that names none: both, from one pass of ε. */
  static final List<VarianceKind> DEFAULT_VARIANCES = List.of(VarianceKind.FIXED_LARGE, VarianceKind.FIXED_SMALL);

  private LikelihoodMessages() {}

  /**
   * The request in domain terms. Images that are not UINT8 (or whose data does not fill their shape) and a
   * variance this build does not know fail naming their field; the shape is checked once the model is known.
   */
  static LikelihoodSpec toSpec(LikelihoodRequest request) {
    if (!request.hasImages()) {
      throw new IllegalArgumentException("images must be given: UINT8 [N, H, W, C]");
    }
    byte[] pixels = TensorCodec.toBytes(request.getImages(), "images");
    List<VarianceKind> variances = request.getVariancesCount() == 0 ? DEFAULT_VARIANCES
        : IntStream.range(0, request.getVariancesCount()).mapToObj(k -> WireChoices.variance(
            request.getVariances(k), request.getVariancesValue(k), "variances")).toList();
    return new LikelihoodSpec(request.getModel(), request.getVersion(), TensorCodec.shape(request.getImages()),
        pixels, variances, request.getSeed(), request.getImageOffset());
  }

  static LikelihoodResponse progress(int timestepsDone, int totalTimesteps) {
    return LikelihoodResponse.newBuilder().setProgress(
        LikelihoodProgress.newBuilder().setTimestepsDone(timestepsDone).setTotalTimesteps(totalTimesteps)).build();
  }

  static LikelihoodResponse image(int index, ModelSpec model, ImageLikelihood likelihood) {
    ImageLikelihoodResult.Builder result = ImageLikelihoodResult.newBuilder()
        .setIndex(index)
        .setModel(model.name())
        .setVersion(model.version());
    for (ImageBound bound : likelihood.bounds()) {
      LikelihoodBound.Builder wire = LikelihoodBound.newBuilder()
          .setVariance(WireChoices.toWire(bound.variance()))
          .setBitsPerDim(bound.total())
          .setPrior(bound.prior());
      Arrays.stream(bound.terms()).forEach(wire::addTerms);
      result.addBounds(wire);
    }
    Arrays.stream(likelihood.epsMse()).forEach(result::addEpsMse);
    Arrays.stream(likelihood.x0Mse()).forEach(result::addX0Mse);
    return LikelihoodResponse.newBuilder().setImage(result).build();
  }
}
