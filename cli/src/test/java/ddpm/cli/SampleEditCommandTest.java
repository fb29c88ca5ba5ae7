package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.images.PngImage;
import ddpm.testing.GrpcCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpm sample}'s edits and previews against a running suite serving an exact Gaussian denoiser (4 × 4 × 1). */
class SampleEditCommandTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void inpaintingAHalfKeepsTheOtherAndPreviewsAreWrittenWithAStripPerImage() throws Exception {
    EmbeddedSuite suite = startWithGaussianModel();
    byte[] input = new byte[16];
    for (int j = 0; j < input.length; j++) {
      input[j] = (byte) (j * 16);
    }
    Path png = dir.resolve("in.png");
    Files.write(png, PngImage.png(input, 4, 4, 1));
    CommandRun run = CommandRun.of("sample", "--model", "gauss", "--n", "2", "--seed", "3", "--sampler", "ddim",
        "--init-image", png.toString(), "--mask", "left", "--jump-length", "2", "--jump-n-sample", "2",
        "--previews", dir.resolve("previews").toString(), "--preview-every", "4",
        "--out", dir.resolve("s").toString(), "--target", suite.samplerAddress());
    assertEquals(0, run.exitCode(), run.err());
    byte[] images = NpyFile.read(dir.resolve("s.npz"), "arr_0").data();
    for (int i = 0; i < 2; i++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 2; x < 4; x++) {
          assertEquals(input[y * 4 + x], images[i * 16 + y * 4 + x], "image " + i + " at " + x + ", " + y);
        }
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve("s-input.png")));
    assertTrue(Files.isRegularFile(dir.resolve("s-mask.png")));
    // 10 steps and one jump of 2 back up from each of 0, 2, 4 and 6: 18 steps, previews at 4, 8, 12, 16 and 18.
    try (var files = Files.list(dir.resolve("previews"))) {
      assertEquals(Arrays.asList("step-0004.png", "step-0008.png", "step-0012.png", "step-0016.png", "step-0018.png",
          "strip-000.png", "strip-001.png"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aTinyStrengthReturnsTheInitImageAndInterpolationGivesOneImagePerLambda() throws Exception {
    EmbeddedSuite suite = startWithGaussianModel();
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    for (int j = 0; j < 16; j++) {
      a[j] = (byte) (j * 9);
      b[j] = (byte) (255 - j * 9);
    }
    Files.write(dir.resolve("a.png"), PngImage.png(a, 4, 4, 1));
    Files.write(dir.resolve("b.png"), PngImage.png(b, 4, 4, 1));
    CommandRun run = CommandRun.of("sample", "--model", "gauss", "--init-image", dir.resolve("a.png").toString(),
        "--strength", "0.01", "--n", "1", "--out", dir.resolve("same").toString(),
        "--target", suite.samplerAddress());
    assertEquals(0, run.exitCode(), run.err());
    assertArrayEquals(a, NpyFile.read(dir.resolve("same.npz"), "arr_0").data());

    run = CommandRun.of("sample", "--model", "gauss", "--interpolate",
        dir.resolve("a.png") + "," + dir.resolve("b.png"), "--lambdas", "0,0.5,1", "--strength", "0.5",
        "--out", dir.resolve("strip").toString(), "--target", suite.samplerAddress());
    assertEquals(0, run.exitCode(), run.err());
    assertArrayEquals(new long[] {3, 4, 4, 1}, NpyFile.read(dir.resolve("strip.npz"), "arr_0").shape());

    run = CommandRun.of("sample", "--model", "gauss", "--mask", "left", "--out", dir.resolve("x").toString(),
        "--target", suite.samplerAddress());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--mask needs --init-image"), run.err());
  }

  private EmbeddedSuite startWithGaussianModel() throws Exception {
    return GaussianSuite.start(grpc, dir);
  }
}
