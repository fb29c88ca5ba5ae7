package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.LoadModelRequest;
import ddpm.api.v1.ModelControlServiceGrpc;
import ddpm.denoiser.DenoiserConfig;
import ddpm.denoiser.DenoiserServer;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.repository.ModelCard;
import ddpm.repository.ModelRepository;
import ddpm.testing.ExactDenoisers;
import ddpm.testing.GrpcCleanup;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ddpm models`, `models pin` and `models unpin` against a running denoiser. */
class ModelsCommandTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void pinAndUnpinMoveTheDefaultAndTheListingShowsThePin() throws Exception {
    ModelRepository repository = new ModelRepository(dir);
    ModelCard card = ExactDenoisers.card("point", 2, 2, 1, 10, "linear");
    ExactDenoisers.publishPointMass(repository, card, new float[4]);
    ExactDenoisers.publishPointMass(repository, card, new float[4]);
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), dir)));
    String target = denoiser.address();
    ModelControlServiceGrpc.newBlockingStub(grpc.channelTo(denoiser))
        .loadModel(LoadModelRequest.newBuilder().setModel("point").setVersion(2).build());

    CommandRun pin = CommandRun.of("models", "pin", "point:1", "--target", target);
    assertEquals(0, pin.exitCode(), pin.err());
    assertEquals("point: default version 1, pinned", pin.out().strip());
    assertEquals(String.format("%-24s versions [1, 2] (default 1, pinned)", "point"),
        CommandRun.of("models", "--target", target).out().strip());

    CommandRun unpin = CommandRun.of("models", "unpin", "point", "--target", target);
    assertEquals(0, unpin.exitCode(), unpin.err());
    assertEquals("point: default version 2, unpinned", unpin.out().strip());
    assertEquals(String.format("%-24s versions [1, 2] (default 2)", "point"),
        CommandRun.of("models", "--target", target).out().strip());

    CommandRun noVersion = CommandRun.of("models", "pin", "point", "--target", target);
    assertEquals(1, noVersion.exitCode());
    assertEquals("ddpm pin: NAME:VERSION: name the version to pin, as point:3; got \"point\"", noVersion.err().strip());
    CommandRun unknown = CommandRun.of("models", "pin", "point:9", "--target", target);
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().startsWith("ddpm pin: NOT_FOUND: version: model \"point\" has no version 9"),
        unknown.err());
  }

  @Test
  void pinAndUnpinNeedARunningDenoiser() {
    for (String[] command : new String[][] {{"models", "pin", "point:1"}, {"models", "unpin", "point"}}) {
      CommandRun run = CommandRun.of(command);
      assertEquals(2, run.exitCode(), run.err());
      assertTrue(run.err().startsWith("Missing required option: '--target=HOST:PORT'"), run.err());
    }
  }

  @Test
  void theListingShowsTheClassesOfAClassConditionalModel() throws Exception {
    ModelRepository repository = new ModelRepository(dir);
    ExactDenoisers.publishGaussianClasses(repository, ExactDenoisers.card("pairs", 2, 2, 1, 10, "linear"),
        new double[] {-0.5, 0.5}, new double[] {0.2, 0.2}, new double[] {0.5, 0.5});
    ExactDenoisers.publishPointMass(repository, ExactDenoisers.card("point", 2, 2, 1, 10, "linear"), new float[4]);
    ServerRunner denoiser = grpc.register(DenoiserServer.start(DenoiserConfig.of(Endpoint.loopback(), dir)));

    assertEquals(String.format("%-24s versions [1] (default 1, 2 classes)%n%-24s versions [1] (default 1)", "pairs",
        "point"), CommandRun.of("models", "--target", denoiser.address()).out().strip());
  }
}
