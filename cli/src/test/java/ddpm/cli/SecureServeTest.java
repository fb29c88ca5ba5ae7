package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.testing.GrpcCleanup;
import ddpm.testing.Slow;
import ddpm.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `ddpm serve` guarded by its flags, and a command reaching it with its own: TLS, mutual TLS, roles, tokens. */
class SecureServeTest {
  private static final String SAMPLER_TOKEN = "sampler-token-5f1e2d3c4b5a";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  @Test
  void aServerOnAnAddressBeyondLoopbackWithoutTlsOrRolesDoesNotStart() {
    CommandRun run = CommandRun.of("serve", "scheduler", "--host", "0.0.0.0");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("ddpm serve: 0.0.0.0 is not a loopback address, and plaintext there lets anyone"),
        run.err());
    assertTrue(run.err().contains("--plaintext"), run.err());
  }

  /**
   * A scheduler that takes only clients with a certificate from its CA, and of those gives the sample role to
   * one token; `ddpm schedule --target` with the CA, a client certificate and that token gets its schedule.
   */
  @Slow
  @Test
  void aCommandWithTheCaACertificateAndATokenReachesAMutualTlsServerWithRoles() throws Exception {
    TestCertificate ca = TestCertificate.authority("ddpm test CA");
    Path caFile = ca.writeCertificate(dir.resolve("ca.crt"));
    TestCertificate server = ca.issueForLoopback("scheduler");
    TestCertificate client = ca.issue("operator");
    Path roles = Files.writeString(dir.resolve("roles"), SAMPLER_TOKEN + " sample\n");
    Path tokenFile = Files.writeString(dir.resolve("token"), SAMPLER_TOKEN + "\n");
    ServiceProcess scheduler = grpc.register(ServiceProcess.start("scheduler",
        "--tls-cert", server.writeCertificate(dir.resolve("server.crt")).toString(),
        "--tls-key", server.writeKey(dir.resolve("server.key")).toString(),
        "--tls-ca", caFile.toString(), "--tls-client-auth", "require", "--roles", roles.toString()));
    String[] tls = {"--tls-ca", caFile.toString(),
        "--tls-cert", client.writeCertificate(dir.resolve("client.crt")).toString(),
        "--tls-key", client.writeKey(dir.resolve("client.key")).toString()};

    CommandRun withToken = schedule(scheduler, tls, "--token-file", tokenFile.toString());
    assertEquals(0, withToken.exitCode(), withToken.err());
    assertTrue(withToken.out().contains("linear"), withToken.out());

    CommandRun certificateOnly = schedule(scheduler, tls);
    assertEquals("ddpm schedule: PERMISSION_DENIED: ddpm.v1.ScheduleService/GetSchedule needs the sample role",
        certificateOnly.err().strip());

    CommandRun plaintext = schedule(scheduler, new String[0], "--token", SAMPLER_TOKEN);
    assertEquals(1, plaintext.exitCode());
    assertTrue(plaintext.err().startsWith("ddpm schedule: UNAVAILABLE: "), plaintext.err());
  }

  private static CommandRun schedule(ServiceProcess scheduler, String[] tls, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "schedule", "--kind", "linear", "--timesteps", "10", "--target", scheduler.address()));
    args.addAll(List.of(tls));
    args.addAll(List.of(more));
    return CommandRun.of(args.toArray(String[]::new));
  }
}
