package ddpm.sampler.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.SampleRequest;
import ddpm.api.v1.SampleResponse;
import ddpm.api.v1.SamplerServiceGrpc;
import ddpm.diffusion.ImageShape;
import ddpm.diffusion.exact.ExactEps;
import ddpm.diffusion.schedule.NoiseSchedule;
import ddpm.diffusion.schedule.ScheduleKind;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.grpc.security.BearerToken;
import ddpm.grpc.security.CallerRoles;
import ddpm.grpc.security.Security;
import ddpm.grpc.security.Tls;
import ddpm.grpc.security.TlsFiles;
import ddpm.sampler.SamplerConfig;
import ddpm.sampler.SamplerServer;
import ddpm.scheduler.SchedulerConfig;
import ddpm.scheduler.SchedulerServer;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.TestCertificate;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler as it runs beyond loopback: every hop over mutual TLS, and every call carrying its caller's
 * own token. The user's token lets them sample; the sampler's own token, not the user's, is what the
 * denoiser and the scheduler see.
 */
class SecurePeersTest {
  private static final ImageShape SHAPE = new ImageShape(4, 5, 3);
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, 10);
  private static final String USER = "user-token-1a2b3c4d5e6f";
  private static final String SAMPLER = "sampler-token-5f1e2d3c4b5a";
  private static final String STRANGER = "stranger-token-0a1b2c3d4e5f";

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();
  @TempDir Path dir;

  private final TestCertificate ca = TestCertificate.authority("ddpm test CA");

  @Test
  void theSamplerCallsItsPeersWithItsOwnTokenOverMutualTls() throws IOException {
    List<SampleResponse> events = sample(SAMPLER, USER);
    assertTrue(events.get(events.size() - 1).hasResult(), "the last event is not the result");
    assertEquals(SCHEDULE.timesteps() + 1, events.size());
  }

  /** The denoiser knows the sampler's token, not this one: the sample fails although the user's token is good. */
  @Test
  void aSamplerWithATokenItsPeersDoNotKnowIsRefusedByThem() throws IOException {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sample(STRANGER, USER));
    assertTrue(Set.of("authorization: the bearer token is not known to the denoiser",
        "authorization: the bearer token is not known to the scheduler").contains(e.getStatus().getDescription())
        && e.getStatus().getCode() == Status.Code.UNAUTHENTICATED, e.getStatus().toString());
  }

  /** Over mutual TLS the user's certificate names them, but the sampler's roles list only the user's token. */
  @Test
  void aUserWithoutATokenIsRefusedByTheSampler() throws IOException {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sample(SAMPLER, null));
    assertEquals(Status.PERMISSION_DENIED.withDescription("ddpm.v1.SamplerService/Sample needs the sample role")
        .toString(), e.getStatus().toString());
  }

  /**
   * A scheduler and a denoiser that let in only the sampler's token, a sampler with {@code samplerToken} that
   * lets in only the user's, all over mutual TLS; one sample of three images by a user with {@code userToken}.
   */
  private List<SampleResponse> sample(String samplerToken, String userToken) throws IOException {
    CallerRoles peersRoles = CallerRoles.fromText(SAMPLER + " sample", "peers");
    FakeDenoiser denoiser = new FakeDenoiser(SHAPE, SCHEDULE, ExactEps.pointMass(SCHEDULE, new float[SHAPE.size()]));
    ServerRunner denoiserServer = grpc.register(ServerRunner.start("denoiser",
        endpoint(tls("denoiser", ClientAuth.REQUIRE).withRoles(peersRoles)), List.of(denoiser)));
    ServerRunner scheduler = grpc.register(SchedulerServer.start(
        new SchedulerConfig(endpoint(tls("scheduler", ClientAuth.REQUIRE).withRoles(peersRoles)))));
    Security samplerSecurity = tls("sampler", ClientAuth.REQUIRE)
        .withRoles(CallerRoles.fromText(USER + " sample", "users"))
        .withToken(BearerToken.of(samplerToken));
    ServerRunner sampler = grpc.register(SamplerServer.start(
        SamplerConfig.of(endpoint(samplerSecurity), denoiserServer.address(), scheduler.address())));

    Security user = tls("user", ClientAuth.NONE);
    if (userToken != null) {
      user = user.withToken(BearerToken.of(userToken));
    }
    Iterator<SampleResponse> events = SamplerServiceGrpc.newBlockingStub(
            grpc.register(Channels.forTarget(sampler.address(), user.channelCredentials())))
        .withDeadlineAfter(2, TimeUnit.MINUTES)
        .sample(SampleRequest.newBuilder().setModel(FakeDenoiser.MODEL).setNumImages(3).setSeed(1).build());
    List<SampleResponse> out = new ArrayList<>();
    events.forEachRemaining(out::add);
    return out;
  }

  private static Endpoint endpoint(Security security) {
    return Endpoint.loopback().withSecurity(security);
  }

  /** TLS for a process named {@code name}: a loopback certificate from the test CA, trusting that CA. */
  private Security tls(String name, ClientAuth clientAuth) throws IOException {
    Path folder = Files.createTempDirectory(dir, name);
    TestCertificate own = ca.issueForLoopback(name);
    Tls tls = Tls.load(new TlsFiles(own.writeCertificate(folder.resolve("tls.crt")),
        own.writeKey(folder.resolve("tls.key")), ca.writeCertificate(folder.resolve("ca.crt")), clientAuth));
    return Security.NONE.withTls(grpc.register(tls));
  }
}
