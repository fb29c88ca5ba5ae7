package ddpm.sampler.grpc;

import com.google.protobuf.ByteString;
import ddpm.api.v1.SampleProgress;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.Tensor;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.sampling.CorrectorSettings;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.grpc.TensorCodec;
import ddpm.images.ImageGrid;
import ddpm.sampler.core.InitialNoise;
import ddpm.sampler.core.SampleSpec;
import ddpm.sampler.core.Samples;
import java.util.Arrays;

/** Conversions between the Sample messages and the sampler's core types. */
final class SampleMessages {
  private SampleMessages() {}

  /**
   * The request in domain terms. An enum value this build does not know, an eta outside [0, 1], a bad
   * karras_rho, corrector_steps or corrector_snr (0 for either of the last two: its default), or an initial_noise
   * that is not FLOAT32 fails naming its field; the rest is checked once the model is known.
   */
  static SampleSpec toSpec(SampleRequest request) {
    SamplerSettings sampler =
        new SamplerSettings(WireChoices.sampler(request.getSampler(), request.getSamplerValue()),
            WireChoices.variance(request.getVariance(), request.getVarianceValue()), request.getEta(),
            request.getClipDenoised(),
            WireChoices.spacing(request.getSpacing(), request.getSpacingValue(), request.getKarrasRho()),
            new CorrectorSettings(request.getCorrectorSteps(),
                request.getCorrectorSnr() == 0 ? CorrectorSettings.DEFAULT_SNR : request.getCorrectorSnr()));
    InitialNoise initialNoise = request.hasInitialNoise() ? initialNoise(request.getInitialNoise()) : null;
    return new SampleSpec(request.getModel(), request.getVersion(), request.getNumImages(), sampler,
        request.getSteps(), request.getSeed(), request.getImageOffset(), initialNoise,
        request.getClassLabelsList().stream().mapToInt(Integer::intValue).toArray(), request.getGuidanceScale());
  }

  private static InitialNoise initialNoise(Tensor tensor) {
    return new InitialNoise(TensorCodec.shape(tensor), TensorCodec.toFloats(tensor, "initial_noise"));
  }

  static SampleResponse progress(int step, int totalSteps, int timestep) {
    return SampleResponse.newBuilder()
        .setProgress(SampleProgress.newBuilder().setStep(step).setTotalSteps(totalSteps).setTimestep(timestep))
        .build();
  }

  static SampleResponse result(Samples samples, boolean includePng) {
    ImageShape shape = samples.model().imageShape();
    int n = samples.numImages();
    SampleResult.Builder result = SampleResult.newBuilder()
        .setImages(TensorCodec.uint8(samples.pixels(), n, shape.height(), shape.width(), shape.channels()))
        .setModel(samples.model().name())
        .setVersion(samples.model().version())
        .setSteps(samples.steps());
    Arrays.stream(samples.classLabels()).forEach(result::addClassLabels);
    if (includePng) {
      result.setPng(ByteString.copyFrom(
          ImageGrid.png(samples.pixels(), n, shape.height(), shape.width(), shape.channels())));
    }
    return SampleResponse.newBuilder().setResult(result).build();
  }
}
