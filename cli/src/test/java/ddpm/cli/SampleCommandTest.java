package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.sampling.SamplerKind;
import ddpm.diffusion.sampling.SamplingChoice;
import ddpm.diffusion.sampling.VarianceKind;
import ddpm.diffusion.schedule.SpacingKind;
import ddpm.grpc.Channels;
import ddpm.grpc.TensorCodec;
import ddpm.testing.GrpcCleanup;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * {@code ddpm sample}'s choices, which come from the sampling tables, and its seeds, against a running suite
 * whose model is an exact Gaussian denoiser, so that every image of every seed differs.
 */
class SampleCommandTest {
  private static final int PIXELS = 4 * 4;

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"--device, tpu, 'cpu, gpu, auto'", "--precision, fp16, 'fp32, bf16, auto'"})
  void theEmbeddedDenoisersSettingsAreCheckedBeforeAnythingStarts(String flag, String value, String allowed) {
    CommandRun run = CommandRun.of("sample", "--model", "digits", "--out", dir.resolve("x").toString(), flag, value);

    assertEquals(1, run.exitCode());
    assertEquals(List.of("ddpm sample: " + flag + " must be one of " + allowed + ", got \"" + value + "\""),
        run.err().lines().toList());
    assertFalse(dir.resolve("x.npz").toFile().exists());
  }

  @Test
  void moreImagesThanOneRequestHoldsAreTheFirstNOfTheSeedsSequence() throws Exception {
    EmbeddedSuite suite = startWithGaussianModel();
    var sampler = SamplerServiceGrpc.newBlockingStub(grpc.register(Channels.plaintext(suite.samplerAddress())));

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

  @ParameterizedTest
  @EnumSource(SamplerKind.class)
  void samplerTakesTheCommandLineNameOrTheWireNameOfEveryRow(SamplerKind row) {
    assertSame(row, parse("--sampler", row.cliName()).sampler);
    assertSame(row, parse("--sampler", row.name()).sampler);
  }

  @ParameterizedTest
  @EnumSource(VarianceKind.class)
  void varianceTakesTheNameOfEveryRow(VarianceKind row) {
    assertSame(row, parse("--variance", row.cliName()).variance);
  }

  @Test
  void withoutTheOptionsTheTablesDefaultsAreSent() {
    SampleCommand command = parse();
    assertSame(SamplerKind.DEFAULT, command.sampler);
    assertSame(VarianceKind.DEFAULT, command.variance);
  }

  @Test
  void anUnknownSamplerIsAUsageErrorListingEveryRow() {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(),
        "--sampler", "lms");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("Invalid value for option '--sampler': --sampler must be "
        + SamplingChoice.list(SamplerKind.values(), SamplerKind::cliName) + ", got \"lms\""), run.err());
  }

  @ParameterizedTest
  @EnumSource(SpacingKind.class)
  void spacingTakesTheLowercaseNameOfEveryRow(SpacingKind row) {
    assertSame(row, parse("--spacing", row.wireName()).spacing.kind);
  }

  @Test
  void withoutSamplerOptionsEvenSpacingAndNoCorrectorAreSent() {
    SampleCommand command = parse();
    assertSame(SpacingKind.EVEN, command.spacing.kind);
    assertEquals(7, command.spacing.rho);
    assertEquals(0, command.correctorSteps);
    assertEquals(0.16, command.snr);
  }

  @ParameterizedTest
  @CsvSource({"--spacing, uniform, --spacing must be one of", "--rho, 0, --rho must be finite and > 0",
      "--rho, NaN, --rho must be finite and > 0", "--corrector-steps, 11, --corrector-steps must be in [0, 10]",
      "--corrector-steps, -1, --corrector-steps must be in [0, 10]", "--snr, -0.5, --snr must be finite and > 0"})
  void aBadSamplerOptionIsAUsageErrorNamingIt(String option, String value, String message) {
    CommandRun run = CommandRun.of("sample", "--model", "m", "--out", dir.resolve("s").toString(), option, value);
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains(message), run.err());
  }

  @Test
  void theHelpListsEveryRowWithItsDescription() {
    CommandRun run = CommandRun.of("sample", "--help");
    assertEquals(0, run.exitCode(), run.err());
    String help = run.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("--sampler=" + String.join("|",
        Arrays.stream(SamplerKind.values()).map(SamplerKind::cliName).toList())), help);
    for (SamplingChoice row : rows()) {
      assertTrue(help.contains("- " + row.cliName() + ": " + row.description()), help);
    }
    for (SpacingKind row : SpacingKind.values()) {
      assertTrue(help.contains("- " + row.wireName() + ": " + row.description()), help);
    }
  }

  private static List<SamplingChoice> rows() {
    List<SamplingChoice> rows = new ArrayList<>(List.of(SamplerKind.values()));
    rows.addAll(List.of(VarianceKind.values()));
    return rows;
  }

  private static SampleCommand parse(String... options) {
    CommandLine cli = Ddpm.commandLine();
    List<String> args = new ArrayList<>(List.of("sample", "--model", "m", "--out", "o"));
    args.addAll(List.of(options));
    cli.parseArgs(args.toArray(new String[0]));
    return cli.getSubcommands().get("sample").getCommand();
  }

  private EmbeddedSuite startWithGaussianModel() throws Exception {
    return GaussianSuite.start(grpc, dir);
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
