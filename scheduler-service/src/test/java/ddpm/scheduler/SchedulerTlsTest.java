package ddpm.scheduler;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.security.CallerRoles;
import ddpm.grpc.security.Security;
import ddpm.grpc.security.Tls;
import ddpm.grpc.security.TlsFiles;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.TestCertificate;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS as every server and channel of the suite has them (grpc-common's {@link Tls}), shown on
 * the smallest real service, with certificates this test makes: who may connect, what a certificate proves,
 * and a certificate renewed under a running server.
 */
class SchedulerTlsTest {
  private static final GetScheduleRequest LINEAR_10 =
      GetScheduleRequest.newBuilder().setKind("linear").setTimesteps(10).build();

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  private final TestCertificate ca = TestCertificate.authority("ddpm test CA");
  private final TestCertificate otherCa = TestCertificate.authority("someone else's CA");

  @Test
  void aClientThatTrustsTheCaGetsItsScheduleOverTls() throws IOException {
    ServerRunner server = scheduler(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.NONE), null);
    assertEquals(10, getSchedule(server, clientTls(null, ca)).getSchedule().getTimesteps());
  }

  @Test
  void aClientThatDoesNotTrustTheServersCaCannotConnect() throws IOException {
    ServerRunner server = scheduler(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.NONE), null);
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, clientTls(null, otherCa)).getCode());
    Tls jvmRoots = grpc.register(Tls.load(TlsFiles.client(null, null, null)));
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, Security.NONE.withTls(jvmRoots)).getCode());
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, Security.NONE).getCode(), "a plaintext client");
  }

  @Test
  void aCertificateForAnotherHostIsRefusedByTheClient() throws IOException {
    ServerRunner server = scheduler(serverFiles(ca.issue("scheduler", "scheduler.elsewhere.example"), ClientAuth.NONE),
        null);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> getSchedule(server, clientTls(null, ca)));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void mutualTlsLetsInOnlyClientsWithACertificateFromTheCa() throws IOException {
    ServerRunner server = scheduler(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.REQUIRE), null);
    assertEquals(10, getSchedule(server, clientTls(ca.issue("sampler"), ca)).getSchedule().getTimesteps());
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, clientTls(null, ca)).getCode(), "no client certificate");
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, clientTls(otherCa.issue("sampler"), ca)).getCode(),
        "a client certificate from another CA");
  }

  /** With mutual TLS a client certificate's name is a caller in the roles file, like a token. */
  @Test
  void aClientCertificatesNameHasTheRolesTheRolesFileGivesIt() throws IOException {
    CallerRoles roles = CallerRoles.fromText("cert:sampler.ddpm.svc sample", "test");
    ServerRunner server = scheduler(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.REQUIRE), roles);
    assertEquals(10, getSchedule(server, clientTls(ca.issue("sampler", "sampler.ddpm.svc"), ca))
        .getSchedule().getTimesteps());
    assertEquals(Status.PERMISSION_DENIED.withDescription("ddpm.v1.ScheduleService/GetSchedule needs the sample role")
        .toString(), refusal(server, clientTls(ca.issue("intruder"), ca)).toString());
  }

  /**
   * cert-manager renews a certificate by replacing its files: the running server's next connection shows the
   * new one (here from a new CA, so that which one was shown is plain), with no restart.
   */
  @Test
  void aRenewedCertificateIsServedOnNewConnectionsWithoutARestart() throws IOException {
    TlsFiles files = serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.NONE);
    Tls tls = grpc.register(Tls.load(files));
    ServerRunner server = grpc.register(SchedulerServer.start(
        new SchedulerConfig(Endpoint.loopback().withSecurity(Security.NONE.withTls(tls)))));
    assertEquals(10, getSchedule(server, clientTls(null, ca)).getSchedule().getTimesteps());

    TestCertificate renewed = otherCa.issueForLoopback("scheduler");
    renewed.writeCertificate(files.certificate());
    renewed.writeKey(files.key());
    assertTrue(tls.refresh(), "the changed files were not loaded");

    assertEquals(10, getSchedule(server, clientTls(null, otherCa)).getSchedule().getTimesteps());
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, clientTls(null, ca)).getCode(),
        "a new connection was shown the old certificate");
  }

  /** A key copied before its certificate (or the wrong one) is refused, not loaded to break every handshake. */
  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedAtStartAndOnRenewal() throws IOException {
    TestCertificate served = ca.issueForLoopback("scheduler");
    Path certificate = served.writeCertificate(dir.resolve("mismatched.crt"));
    Path key = ca.issueForLoopback("other").writeKey(dir.resolve("mismatched.key"));
    IOException e = assertThrows(IOException.class,
        () -> Tls.load(new TlsFiles(certificate, key, null, ClientAuth.NONE)));
    assertEquals("tls_key: not the key of the certificate in tls_cert (CN=scheduler)", e.getMessage());

    TlsFiles files = serverFiles(served, ClientAuth.NONE);
    Tls tls = grpc.register(Tls.load(files));
    ServerRunner server = grpc.register(SchedulerServer.start(
        new SchedulerConfig(Endpoint.loopback().withSecurity(Security.NONE.withTls(tls)))));
    otherCa.issueForLoopback("scheduler").writeCertificate(files.certificate());
    assertTrue(!tls.refresh(), "a certificate without its key was loaded");
    assertEquals(10, getSchedule(server, clientTls(null, ca)).getSchedule().getTimesteps());
  }

  @Test
  void aKeyInAnotherFormatThanPkcs8IsNamedWithItsConversion() throws IOException {
    Path certificate = ca.issueForLoopback("scheduler").writeCertificate(dir.resolve("server.crt"));
    Path key = Files.writeString(dir.resolve("server.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    IOException e = assertThrows(IOException.class,
        () -> Tls.load(new TlsFiles(certificate, key, null, ClientAuth.NONE)));
    assertEquals("tls_key: " + key + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert one with"
        + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem`, or set cert-manager's privateKey.encoding to PKCS8",
        e.getMessage());
  }

  /**
   * Kubernetes' gRPC probes speak neither TLS nor tokens: a server with mutual TLS and roles answers them on its
   * plaintext health port, which serves grpc.health.v1 and nothing else, and closes with the server.
   */
  @Test
  void aPlaintextHealthPortAnswersProbesOfAServerWithMutualTlsAndRoles() throws IOException {
    Security security = Security.NONE.withTls(grpc.register(Tls.load(serverFiles(ca.issueForLoopback("scheduler"),
        ClientAuth.REQUIRE)))).withRoles(CallerRoles.fromText("cert:sampler sample", "test"));
    ServerRunner server = SchedulerServer.start(
        new SchedulerConfig(Endpoint.loopback().withSecurity(security).withHealthPort(0)));
    var probe = grpc.register(Channels.plaintext(server.healthAddress().orElseThrow()));
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(probe).withDeadlineAfter(30, TimeUnit.SECONDS);

    for (String service : List.of("", ScheduleServiceGrpc.SERVICE_NAME)) {
      assertEquals(ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
    StatusRuntimeException schedule = assertThrows(StatusRuntimeException.class, () -> ScheduleServiceGrpc
        .newBlockingStub(probe).withDeadlineAfter(30, TimeUnit.SECONDS).getSchedule(LINEAR_10));
    assertEquals(Status.Code.UNIMPLEMENTED, schedule.getStatus().getCode());
    assertEquals(Status.Code.UNAVAILABLE, refusal(server, Security.NONE).getCode(), "the gRPC port is still TLS");

    server.close();
    StatusRuntimeException closed = assertThrows(StatusRuntimeException.class,
        () -> health.check(HealthCheckRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, closed.getStatus().getCode());
  }

  /** Beyond loopback, required client certificates guard a server as roles do: only the CA's clients get in. */
  @Test
  void requiredClientCertificatesCountAsAGuardBeyondLoopback() throws IOException {
    Tls mutual = grpc.register(Tls.load(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.REQUIRE)));
    assertDoesNotThrow(() -> Security.NONE.withTls(mutual).checkExposure("0.0.0.0"));
    Tls serverOnly = grpc.register(Tls.load(serverFiles(ca.issueForLoopback("scheduler"), ClientAuth.NONE)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Security.NONE.withTls(serverOnly).checkExposure("0.0.0.0"));
    assertTrue(e.getMessage().contains("without roles anyone who reaches it may call every RPC"), e.getMessage());
  }

  private ServerRunner scheduler(TlsFiles files, CallerRoles roles) throws IOException {
    Security security = Security.NONE.withTls(grpc.register(Tls.load(files))).withRoles(roles);
    return grpc.register(SchedulerServer.start(new SchedulerConfig(Endpoint.loopback().withSecurity(security))));
  }

  /** The server's certificate and key, and the CA its clients' certificates must chain to, in fresh files. */
  private TlsFiles serverFiles(TestCertificate served, ClientAuth clientAuth) throws IOException {
    Path folder = Files.createTempDirectory(dir, "server");
    return new TlsFiles(served.writeCertificate(folder.resolve("tls.crt")), served.writeKey(folder.resolve("tls.key")),
        ca.writeCertificate(folder.resolve("ca.crt")), clientAuth);
  }

  /** A client that trusts {@code trusted} and, if given, shows {@code own}. */
  private Security clientTls(TestCertificate own, TestCertificate trusted) throws IOException {
    Path folder = Files.createTempDirectory(dir, "client");
    Path ownCertificate = own == null ? null : own.writeCertificate(folder.resolve("tls.crt"));
    Path ownKey = own == null ? null : own.writeKey(folder.resolve("tls.key"));
    Tls tls = Tls.load(TlsFiles.client(ownCertificate, ownKey, trusted.writeCertificate(folder.resolve("ca.crt"))));
    return Security.NONE.withTls(grpc.register(tls));
  }

  private ddpm.api.v1.GetScheduleResponse getSchedule(ServerRunner server, Security client) {
    return ScheduleServiceGrpc.newBlockingStub(grpc.register(Channels.forTarget(server.address(),
        client.channelCredentials()))).withDeadlineAfter(30, TimeUnit.SECONDS).getSchedule(LINEAR_10);
  }

  private Status refusal(ServerRunner server, Security client) {
    return assertThrows(StatusRuntimeException.class, () -> getSchedule(server, client)).getStatus();
  }
}
