package ddpm.sampler.grpc;

import com.google.protobuf.ByteString;
import ddpm.api.v1.EditImages;
import ddpm.api.v1.Inpainting;
import ddpm.api.v1.SamplePreview;
import ddpm.api.v1.SampleProgress;
import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SampleResult;
import ddpm.api.v1.Tensor;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.Pixels;
import ddpm.diffusion.guidance.GuidanceInterval;
import ddpm.diffusion.sampling.CorrectorSettings;
import ddpm.diffusion.sampling.SamplerSettings;
import ddpm.grpc.TensorCodec;
import ddpm.images.ImageGrid;
import ddpm.sampler.core.InitialNoise;
import ddpm.sampler.core.InputImages;
import ddpm.sampler.core.SampleEdit;
import ddpm.sampler.core.SampleSpec;
import ddpm.sampler.core.Samples;
import java.util.Arrays;
import java.util.List;

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
        request.getClassLabelsList().stream().mapToInt(Integer::intValue).toArray(), request.getGuidanceScale(),
        request.hasGuidanceInterval() ? guidanceInterval(request.getGuidanceInterval()) : null, edit(request),
        request.getPreviewEvery());
  }

  private static GuidanceInterval guidanceInterval(ddpm.api.v1.GuidanceInterval interval) {
    return new GuidanceInterval(interval.getMinTimestep(), interval.getMaxTimestep());
  }

  private static SampleEdit edit(SampleRequest request) {
    return switch (request.getEditCase()) {
      case IMAGE_TO_IMAGE -> new SampleEdit.FromImage(
          images(request.getImageToImage().getInitImages(), "image_to_image.init_images"),
          request.getImageToImage().getStrength());
      case INPAINTING -> {
        Inpainting inpainting = request.getInpainting();
        yield new SampleEdit.Inpaint(images(inpainting.getInitImages(), "inpainting.init_images"),
            images(inpainting.getMask(), "inpainting.mask"), inpainting.getJumpLength(),
            inpainting.getJumpNSample());
      }
      case INTERPOLATION -> new SampleEdit.Interpolate(
          images(request.getInterpolation().getImages(), "interpolation.images"),
          request.getInterpolation().getLambdasList().stream().mapToDouble(Double::doubleValue).toArray(),
          request.getInterpolation().getStrength());
      case EDIT_NOT_SET -> null;
    };
  }

  private static InputImages images(EditImages images, String field) {
    List<byte[]> pngs = images.getPngList().stream().map(ByteString::toByteArray).toList();
    return images.hasTensor()
        ? new InputImages(TensorCodec.shape(images.getTensor()), TensorCodec.toBytes(images.getTensor(), field), pngs,
            field)
        : new InputImages(null, null, pngs, field);
  }

  /** A preview of n images of {@code shape}: x̂₀ as pixel values, x_t and a PNG grid of x̂₀ when asked for. */
  static SampleResponse preview(int step, int totalSteps, int timestep, float[] xt, float[] x0Hat, ImageShape shape,
      boolean withXt, boolean withPng) {
    int n = x0Hat.length / shape.size();
    byte[] pixels = Pixels.toPixels(x0Hat);
    SamplePreview.Builder preview = SamplePreview.newBuilder().setStep(step).setTotalSteps(totalSteps)
        .setTimestep(timestep)
        .setX0Hat(TensorCodec.uint8(pixels, n, shape.height(), shape.width(), shape.channels()));
    if (withXt) {
      preview.setXT(TensorCodec.float32(xt, n, shape.height(), shape.width(), shape.channels()));
    }
    if (withPng) {
      preview.setPng(ByteString.copyFrom(ImageGrid.png(pixels, n, shape.height(), shape.width(), shape.channels())));
    }
    return SampleResponse.newBuilder().setPreview(preview).build();
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
