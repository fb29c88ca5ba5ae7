package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.grpc.security.Security;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** An endpoint refuses a setting no server could bind or honour, naming the setting as the configs do. */
class EndpointTest {
  @Test
  void loopbackIsAFreePortOnThisMachineWithoutMetricsAndTheDefaultTimes() {
    Endpoint loopback = Endpoint.loopback();
    assertEquals(new Endpoint("127.0.0.1", 0, Endpoint.NO_METRICS, Duration.ofSeconds(30), Duration.ofMinutes(5)),
        loopback);
    assertFalse(loopback.servesMetrics());
  }

  @Test
  void eachWitherChangesItsOwnSettingOnly() {
    Endpoint base = Endpoint.of("0.0.0.0", 50051);
    assertEquals(new Endpoint("0.0.0.0", 50051, 9451, base.drainTimeout(), base.maxConnectionAge()),
        base.withMetricsPort(9451));
    assertEquals(new Endpoint("0.0.0.0", 50051, Endpoint.NO_METRICS, Duration.ofSeconds(5), base.maxConnectionAge()),
        base.withDrainTimeout(Duration.ofSeconds(5)));
    assertEquals(new Endpoint("0.0.0.0", 50051, Endpoint.NO_METRICS, base.drainTimeout(), Duration.ofMinutes(1)),
        base.withMaxConnectionAge(Duration.ofMinutes(1)));
    assertTrue(base.withMetricsPort(0).servesMetrics());
    assertEquals(9091, base.withHealthPort(9091).healthPort());
    assertEquals(base, base.withHealthPort(9091).withHealthPort(Endpoint.NO_HEALTH_PORT));
    assertFalse(base.servesHealthPort());
  }

  @Test
  void aPortIsInRangeWithZeroForAFreeOne() {
    assertEquals("port: must be in [0, 65535] (0 picks a free port), got 70000",
        refusal(() -> Endpoint.of("127.0.0.1", 70000)));
    assertEquals("port: must be in [0, 65535] (0 picks a free port), got -1",
        refusal(() -> Endpoint.of("127.0.0.1", -1)));
    assertDoesNotThrow(() -> Endpoint.of("127.0.0.1", 65535));
  }

  @Test
  void aMetricsPortIsInRangeOrNone() {
    Endpoint base = Endpoint.loopback();
    assertEquals("metrics_port: must be -1 (none) or in [0, 65535] (0 picks a free port), got -2",
        refusal(() -> base.withMetricsPort(-2)));
    assertEquals("metrics_port: must be -1 (none) or in [0, 65535] (0 picks a free port), got 65536",
        refusal(() -> base.withMetricsPort(65536)));
    assertDoesNotThrow(() -> base.withMetricsPort(Endpoint.NO_METRICS));
    assertDoesNotThrow(() -> base.withMetricsPort(0));
  }

  @Test
  void aHealthPortIsInRangeOrNone() {
    assertEquals("health_port: must be -1 (none) or in [0, 65535] (0 picks a free port), got 65536",
        refusal(() -> Endpoint.loopback().withHealthPort(65536)));
    assertTrue(Endpoint.loopback().withHealthPort(0).servesHealthPort());
  }

  @Test
  void aHostMustBeGiven() {
    assertEquals("host: must be set", refusal(() -> Endpoint.of(" ", 0)));
    assertEquals("host: must be set", refusal(() -> Endpoint.of(null, 0)));
  }

  /** No drain stops at once; a connection that never lives cannot carry a call. */
  @Test
  void theDrainMayBeZeroButAConnectionAgeMustBePositive() {
    Endpoint base = Endpoint.loopback();
    assertDoesNotThrow(() -> base.withDrainTimeout(Duration.ZERO));
    assertEquals("drain_timeout: must be ≥ 0, got PT-1S",
        refusal(() -> base.withDrainTimeout(Duration.ofSeconds(-1))));
    assertEquals("max_connection_age: must be > 0, got PT0S", refusal(() -> base.withMaxConnectionAge(Duration.ZERO)));
  }

  /** Plaintext and open unless given: what loopback allows, and only loopback (see SecurityTest). */
  @Test
  void securityIsNoneUnlessGivenAndKeptByTheOtherWithers() {
    assertEquals(Security.NONE, Endpoint.of("127.0.0.1", 50051).security());
    Security reflecting = Security.NONE.withReflection(true);
    Endpoint secured = Endpoint.loopback().withSecurity(reflecting);
    assertEquals(reflecting, secured.withMetricsPort(9451).withDrainTimeout(Duration.ZERO)
        .withMaxConnectionAge(Duration.ofMinutes(1)).security());
    assertEquals("security: must be set", refusal(() -> Endpoint.loopback().withSecurity(null)));
  }

  private static String refusal(Executable construction) {
    return assertThrows(IllegalArgumentException.class, construction).getMessage();
  }
}
