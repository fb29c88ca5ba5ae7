package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.DenoiserServiceGrpc;
import ddpm.api.v1.ListModelsRequest;
import ddpm.api.v1.ListModelsResponse;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.testing.GrpcCleanup;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a command says when its --target cannot be reached, and when the service there answers UNAVAILABLE itself. */
class TargetErrorsTest {
  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  @Test
  void aTargetNothingListensOnIsNamedWithWhatToCheck() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String target = "127.0.0.1:" + port;

    for (String[] command : List.of(new String[] {"models", "denoiser"}, new String[] {"schedule", "scheduler"})) {
      CommandRun run = CommandRun.of(command[0], "--target", target);

      assertEquals(1, run.exitCode(), run.err());
      assertTrue(run.err().startsWith("ddpm " + command[0] + ": UNAVAILABLE: cannot reach the " + command[1] + " at "
          + target + " ("), run.err());
      assertTrue(run.err().contains("is `ddpm serve " + command[1] + "` running there"), run.err());
    }
  }

  @Test
  void anUnavailableTheServiceAnswersItselfPassesUnchanged() throws Exception {
    ServerRunner denoiser = grpc.register(ServerRunner.start("denoiser", Endpoint.loopback(),
        List.of(new DenoiserServiceGrpc.DenoiserServiceImplBase() {
          @Override
          public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
            response.onError(Status.UNAVAILABLE.withDescription("the model repository is unmounted").asException());
          }
        })));

    CommandRun run = CommandRun.of("models", "--target", denoiser.address());

    assertEquals(1, run.exitCode());
    assertEquals("ddpm models: UNAVAILABLE: the model repository is unmounted", run.err().strip());
  }
}
