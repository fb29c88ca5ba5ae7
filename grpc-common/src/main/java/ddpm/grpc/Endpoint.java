package ddpm.grpc;

import static ddpm.grpc.ConfigChecks.requireNonNegative;
import static ddpm.grpc.ConfigChecks.requirePositive;
import static ddpm.grpc.ConfigChecks.requireSet;
import static ddpm.grpc.ConfigChecks.requireText;

import ddpm.grpc.security.Security;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import java.time.Duration;

/**
 * Where and how one service meets the network: the address its gRPC server binds, the port of its Prometheus
 * metrics, how long a stopping server lets calls in flight finish, how long a client connection lives, and
 * the transport security of both its server and its channels to peers. Every service's config holds one, and
 * {@link ServerRunner} and {@link Channels} take everything they need from it, so that a setting every service
 * shares is added here once instead of to four configs, four servers and the command line's wiring of each.
 *
 * <p>Transport security and who may call what live here for that reason ({@link Security}): TLS or
 * plaintext, the roles each caller has, the token a service sends its own peers, reflection. The runner and
 * the channels read them from {@link #serverCredentials()}, {@link #channelCredentials()} and
 * {@link #security()}; the services only pass their endpoint along.
 *
 * @param host the address to bind, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)
 * @param port the gRPC port; 0 picks a free one
 * @param metricsPort the port of {@code http://HOST:PORT/metrics} on the same host; {@link #NO_METRICS}
 *     serves none, 0 picks a free one
 * @param drainTimeout how long a stopping server lets calls in flight finish before it cancels them; a
 *     deployment's grace period before it kills the process must be longer
 * @param maxConnectionAge how long a client connection lives before the server asks the client to reconnect
 *     (see {@link #DEFAULT_MAX_CONNECTION_AGE})
 * @param security TLS, roles, the service's own token for its peers, reflection; {@link Security#NONE}
 *     (plaintext, open) is refused on any address but loopback
 * @param healthPort a second gRPC port on the same host that serves only grpc.health.v1, in plaintext and
 *     open to every caller, for probes that cannot speak TLS or send a token (Kubernetes' gRPC probes);
 *     {@link #NO_HEALTH_PORT} serves none, 0 picks a free one
 */
public record Endpoint(String host, int port, int metricsPort, Duration drainTimeout, Duration maxConnectionAge,
    Security security, int healthPort) {
  /** The metrics port that serves no metrics endpoint. */
  public static final int NO_METRICS = -1;

  /** The health port that serves no separate health endpoint: health is on the gRPC port only. */
  public static final int NO_HEALTH_PORT = -1;

  /** This machine only: what the embedded suite and the tests bind. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Whole seconds, as the command line takes it. */
  public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(DEFAULT_DRAIN_TIMEOUT_SECONDS);

  /**
   * How long a client connection lives before the server asks the client to reconnect (an HTTP/2 GOAWAY; calls
   * in flight finish on the old connection, however long they take). Reconnecting makes the client resolve its
   * target again, so a sampler that reaches the denoisers through one DNS name with a record per replica (a
   * Kubernetes headless Service) starts using replicas added since within this time; otherwise a new replica
   * would get calls only once some connection failed. gRPC adds ±10 % of jitter so that clients do not
   * reconnect at once.
   */
  public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(5);

  private static final int MAX_PORT = 65535;

  public Endpoint {
    requireText(host, "host");
    if (port < 0 || port > MAX_PORT) {
      throw new IllegalArgumentException("port: must be in [0, 65535] (0 picks a free port), got " + port);
    }
    if (metricsPort != NO_METRICS && (metricsPort < 0 || metricsPort > MAX_PORT)) {
      throw new IllegalArgumentException("metrics_port: must be " + NO_METRICS
          + " (none) or in [0, 65535] (0 picks a free port), got " + metricsPort);
    }
    if (healthPort != NO_HEALTH_PORT && (healthPort < 0 || healthPort > MAX_PORT)) {
      throw new IllegalArgumentException("health_port: must be " + NO_HEALTH_PORT
          + " (none) or in [0, 65535] (0 picks a free port), got " + healthPort);
    }
    requireNonNegative(drainTimeout, "drain_timeout");
    requirePositive(maxConnectionAge, "max_connection_age");
    requireSet(security, "security");
  }

  /** Plaintext and open to every caller ({@link Security#NONE}), without a health port. */
  public Endpoint(String host, int port, int metricsPort, Duration drainTimeout, Duration maxConnectionAge) {
    this(host, port, metricsPort, drainTimeout, maxConnectionAge, Security.NONE, NO_HEALTH_PORT);
  }

  /** {@code host:port} without metrics, with the default drain timeout and connection age. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, NO_METRICS, DEFAULT_DRAIN_TIMEOUT, DEFAULT_MAX_CONNECTION_AGE);
  }

  /** A free port on {@link #LOOPBACK}, without metrics. */
  public static Endpoint loopback() {
    return of(LOOPBACK, 0);
  }

  public Endpoint withMetricsPort(int metricsPort) {
    return new Endpoint(host, port, metricsPort, drainTimeout, maxConnectionAge, security, healthPort);
  }

  public Endpoint withDrainTimeout(Duration drainTimeout) {
    return new Endpoint(host, port, metricsPort, drainTimeout, maxConnectionAge, security, healthPort);
  }

  public Endpoint withMaxConnectionAge(Duration maxConnectionAge) {
    return new Endpoint(host, port, metricsPort, drainTimeout, maxConnectionAge, security, healthPort);
  }

  public Endpoint withSecurity(Security security) {
    return new Endpoint(host, port, metricsPort, drainTimeout, maxConnectionAge, security, healthPort);
  }

  public Endpoint withHealthPort(int healthPort) {
    return new Endpoint(host, port, metricsPort, drainTimeout, maxConnectionAge, security, healthPort);
  }

  public boolean servesMetrics() {
    return metricsPort != NO_METRICS;
  }

  public boolean servesHealthPort() {
    return healthPort != NO_HEALTH_PORT;
  }

  /** What this service's gRPC server accepts connections with: TLS when it has a certificate, else plaintext. */
  public ServerCredentials serverCredentials() {
    return security.serverCredentials();
  }

  /** What this service dials its peers with: TLS when it has TLS files, else plaintext; its token, if any. */
  public ChannelCredentials channelCredentials() {
    return security.channelCredentials();
  }
}
