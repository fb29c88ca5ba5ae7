package ddpm.grpc.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A server with nothing guarding it starts on loopback only, unless told its network is trusted. */
class SecurityTest {
  private static final String PLAINTEXT_REFUSED = "0.0.0.0 is not a loopback address, and plaintext there lets"
      + " anyone on the network read and alter every call: serve TLS (--tls-cert, --tls-key), or pass --plaintext"
      + " where the network itself is trusted";
  private static final String OPEN_REFUSED = "0.0.0.0 is not a loopback address, and without roles anyone who"
      + " reaches it may call every RPC, training and unloading models included: give callers roles (--roles FILE"
      + " or DDPM_ROLES), or require client certificates (--tls-client-auth require), or pass --no-auth where every"
      + " caller is trusted";

  private static final CallerRoles ROLES = CallerRoles.fromText("operator-token-9a8b7c6d5e4f admin", "test");

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
  void loopbackNeedsNothing(String host) {
    assertDoesNotThrow(() -> Security.NONE.checkExposure(host));
  }

  @Test
  void plaintextBeyondLoopbackNeedsToBeAllowed() {
    assertEquals(PLAINTEXT_REFUSED, refusal(Security.NONE));
    assertEquals(PLAINTEXT_REFUSED, refusal(Security.NONE.withRoles(ROLES)));
  }

  @Test
  void anOpenServerBeyondLoopbackNeedsToBeAllowed() {
    assertEquals(OPEN_REFUSED, refusal(Security.NONE.withPlaintextBeyondLoopback(true)));
    assertDoesNotThrow(
        () -> Security.NONE.withPlaintextBeyondLoopback(true).withOpenBeyondLoopback(true).checkExposure("0.0.0.0"));
    assertDoesNotThrow(() -> Security.NONE.withPlaintextBeyondLoopback(true).withRoles(ROLES).checkExposure("0.0.0.0"));
  }

  /** Refused before anything binds: nothing listens on 0.0.0.0 even for a moment. */
  @Test
  void theServerRunnerRefusesToStartUnguardedBeyondLoopback() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerRunner.start("test", Endpoint.of("0.0.0.0", 0), List.of()));
    assertEquals(PLAINTEXT_REFUSED, e.getMessage());
  }

  private static String refusal(Security security) {
    return assertThrows(IllegalArgumentException.class, () -> security.checkExposure("0.0.0.0")).getMessage();
  }
}
