package ddpm.cli;

import com.google.protobuf.ByteString;
import ddpm.api.v1.EditImages;
import ddpm.api.v1.ImageToImage;
import ddpm.api.v1.Inpainting;
import ddpm.api.v1.Interpolation;
import ddpm.api.v1.SampleRequest;
import ddpm.images.ImageGrid;
import ddpm.images.PngImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * `ddpm sample`'s options that start from images (docs/math.md §14): image-to-image, inpainting and interpolation.
 * An image is a PNG file or DATASET:SPLIT:INDEX, an image of a data set under --data ({@link ImageSource}).
 */
final class EditOptions {
  @Option(names = "--init-image", split = ",", paramLabel = "IMAGE",
      description = "Start from these images (one for all, or one per image; --n defaults to their number): a PNG "
          + "of the model's shape, or DATASET:SPLIT:INDEX such as mnist:test:3 (read from --data). Alone: "
          + "image-to-image (SDEdit) at --strength; with --mask: inpainting.")
  List<String> initImages;

  @Option(names = "--strength", paramLabel = "S",
      description = "Image-to-image and interpolation: s in (0, 1], start at the step nearest s*T (default: 0.5).")
  Double strength;

  @Option(names = "--mask", paramLabel = "PNG|left|right|upper|lower",
      description = "Inpainting (RePaint) of --init-image: a PNG mask (255 keeps a pixel value, 0 draws it), or "
          + "the named half drawn anew and the other kept.")
  String mask;

  @Option(names = "--jump-length", defaultValue = "0", paramLabel = "J",
      description = "Inpainting's resampling: go back up J steps ... (RePaint's jump_length).")
  int jumpLength;

  @Option(names = "--jump-n-sample", defaultValue = "0", paramLabel = "R",
      description = "... R - 1 times from every J-th step (RePaint's jump_n_sample; 0 or 1: no resampling).")
  int jumpNSample;

  @Option(names = "--interpolate", split = ",", paramLabel = "IMAGE",
      description = "Interpolate between two images (Ho et al. 4.3), one image per --lambdas value, from --strength.")
  List<String> interpolate;

  @Option(names = "--lambdas", split = ",", paramLabel = "L",
      description = "With --interpolate: the mixing weights, 0 = the first image, 1 = the second.")
  List<Double> lambdas;

  private List<PngImage.Decoded> images;
  private PngImage.Decoded maskImage;

  /** Whether any option of an edit was given. */
  boolean any() {
    return initImages != null || interpolate != null || mask != null || strength != null || lambdas != null
        || jumpLength != 0 || jumpNSample != 0;
  }

  /**
   * Checks the options that go together and reads the images; the number of images the edit implies, or
   * {@code count} when it implies none. A count the caller gave ({@code countGiven}) must agree.
   */
  int load(CommandLine cli, Path dataRoot, int count, boolean countGiven) throws IOException {
    if (initImages != null && interpolate != null) {
      throw new ParameterException(cli, "--init-image and --interpolate exclude each other");
    }
    if (interpolate == null && lambdas != null) {
      throw new ParameterException(cli, "--lambdas goes with --interpolate");
    }
    if (initImages == null && (mask != null || strength != null && interpolate == null)) {
      throw new ParameterException(cli, (mask != null ? "--mask" : "--strength") + " needs --init-image");
    }
    if (mask != null && strength != null) {
      throw new ParameterException(cli, "--strength goes with image-to-image and interpolation, not with --mask");
    }
    if (mask == null && (jumpLength != 0 || jumpNSample != 0)) {
      throw new ParameterException(cli, "--jump-length and --jump-n-sample go with --mask");
    }
    ImageSource source = new ImageSource(dataRoot);
    if (interpolate != null) {
      if (interpolate.size() != 2 || lambdas == null) {
        throw new ParameterException(cli, "--interpolate takes two images, A,B, and --lambdas their weights");
      }
      images = source.read(interpolate, "--interpolate");
      return agreed(cli, lambdas.size(), count, countGiven, "--lambdas values");
    }
    if (initImages == null) {
      return count;
    }
    images = source.read(initImages, "--init-image");
    if (mask != null) {
      maskImage = ImageSource.isHalf(mask) ? ImageSource.half(mask, images.get(0))
          : source.read(List.of(mask), "--mask").get(0);
    }
    return images.size() == 1 ? count : agreed(cli, images.size(), count, countGiven, "--init-image images");
  }

  private static int agreed(CommandLine cli, int implied, int count, boolean countGiven, String what) {
    if (countGiven && count != implied) {
      throw new ParameterException(cli, "--n " + count + " does not match the " + implied + " " + what);
    }
    return implied;
  }

  /** Whether the images are an interpolation strip, drawn as one row. */
  boolean interpolates() {
    return interpolate != null;
  }

  /** The request's edit, if any. */
  void addTo(SampleRequest.Builder request) {
    double s = strength == null ? 0.5 : strength;
    if (interpolate != null) {
      request.setInterpolation(Interpolation.newBuilder().setImages(pngs(images)).addAllLambdas(lambdas)
          .setStrength(s));
    } else if (maskImage != null) {
      request.setInpainting(Inpainting.newBuilder().setInitImages(pngs(images)).setMask(pngs(List.of(maskImage)))
          .setJumpLength(jumpLength).setJumpNSample(jumpNSample));
    } else if (images != null) {
      request.setImageToImage(ImageToImage.newBuilder().setInitImages(pngs(images)).setStrength(s));
    }
  }

  /** FILE-input.png, the images the edit started from, and for inpainting FILE-mask.png. */
  void writeInputs(String base) throws IOException {
    if (images == null) {
      return;
    }
    Files.write(Path.of(base + "-input.png"), grid(images));
    if (maskImage != null) {
      Files.write(Path.of(base + "-mask.png"), grid(List.of(maskImage)));
    }
  }

  private static byte[] grid(List<PngImage.Decoded> images) {
    PngImage.Decoded first = images.get(0);
    byte[] all = new byte[images.size() * first.pixels().length];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i).pixels(), 0, all, i * first.pixels().length, first.pixels().length);
    }
    return ImageGrid.png(all, images.size(), first.height(), first.width(), first.channels());
  }

  private static EditImages pngs(List<PngImage.Decoded> images) {
    EditImages.Builder out = EditImages.newBuilder();
    for (PngImage.Decoded image : images) {
      out.addPng(ByteString.copyFrom(
          PngImage.png(image.pixels(), image.height(), image.width(), image.channels())));
    }
    return out.build();
  }
}
