package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.grpc.Channels;
import ddpm.grpc.TensorCodec;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpm sample} against a running suite whose model is an exact Gaussian denoiser, so every seed differs. */
class SampleCommandTest {
  private static final int PIXELS = 4 * 4;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void moreImagesThanOneRequestHoldsAreTheFirstNOfTheSeedsSequence() throws Exception {
    EmbeddedSuite suite = startWithGaussianModel();
    var sampler = SamplerServiceGrpc.newBlockingStub(grpc.register(Channels.forTarget(suite.samplerAddress())));

    CommandRun run = CommandRun.of("sample", "--model", "gauss", "--n", "300", "--seed", "5",
        "--out", dir.resolve("s").toString(), "--target", suite.samplerAddress());

    assertEquals(0, run.exitCode(), run.err());
    byte[] written = NpyFile.read(dir.resolve("s.npz"), "arr_0").data();
    ByteArrayOutputStream asked = new ByteArrayOutputStream();
    asked.writeBytes(images(sampler.sample(request(256, 5, 0))));
    asked.writeBytes(images(sampler.sample(request(44, 5, 256))));
    assertArrayEquals(asked.toByteArray(), written);
    byte[] last = Arrays.copyOfRange(written, 256 * PIXELS, 300 * PIXELS);
    assertFalse(Arrays.equals(last, images(sampler.sample(request(44, 6, 0)))),
        "images 256.. of seed 5 are the first images of seed 6");
  }

  private EmbeddedSuite startWithGaussianModel() throws Exception {
    Path models = dir.resolve("models");
    ModelCard card = ExactDenoisers.card("gauss", 4, 4, 1, 10, "linear");
    ExactDenoisers.publishGaussian(new ModelRepository(models), card, 0, 0.5f);
    return grpc.register(new EmbeddedSuite(
        new EmbeddedSuite.SuitePaths(models, dir.resolve("data"), dir.resolve("work"))));
  }

  private static SampleRequest request(int numImages, long seed, long imageOffset) {
    return SampleRequest.newBuilder().setModel("gauss").setNumImages(numImages).setSeed(seed)
        .setImageOffset(imageOffset).build();
  }

  private static byte[] images(Iterator<SampleResponse> events) {
    SampleResponse last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    return TensorCodec.toBytes(last.getResult().getImages(), "images");
  }
}
