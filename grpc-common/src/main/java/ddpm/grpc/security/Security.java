package ddpm.grpc.security;

import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * How one service guards its port and shows itself to its peers: TLS or plaintext, who may call which RPC,
 * the token it sends its own peers, and whether it answers reflection. {@link #NONE}, plaintext and open to
 * every caller, is what the embedded suite and the tests use on loopback; a server on any other address
 * refuses to start that way (see {@link #checkExposure}) unless told that its network is trusted.
 *
 * @param tls the process's certificate and trusted authorities; null for plaintext
 * @param plaintextBeyondLoopback serve plaintext on a non-loopback address all the same (ddpm serve's
 *     {@code --plaintext}: a network that is itself trusted, or TLS terminated by a mesh sidecar)
 * @param roles who may call what; null lets every caller call every RPC
 * @param openBeyondLoopback serve without roles on a non-loopback address all the same ({@code --no-auth})
 * @param token what this process sends its peers (the sampler's to the denoiser and scheduler, the
 *     trainer's to the scheduler); null for none
 * @param reflection whether the server answers grpc.reflection (what grpcurl lists services with)
 */
public record Security(Tls tls, boolean plaintextBeyondLoopback, CallerRoles roles, boolean openBeyondLoopback,
    BearerToken token, boolean reflection) {
  /** Plaintext, every caller let in, no token, no reflection: for loopback only. */
  public static final Security NONE = new Security(null, false, null, false, null, false);

  public Security withTls(Tls tls) {
    return new Security(tls, plaintextBeyondLoopback, roles, openBeyondLoopback, token, reflection);
  }

  public Security withPlaintextBeyondLoopback(boolean allowed) {
    return new Security(tls, allowed, roles, openBeyondLoopback, token, reflection);
  }

  public Security withRoles(CallerRoles roles) {
    return new Security(tls, plaintextBeyondLoopback, roles, openBeyondLoopback, token, reflection);
  }

  public Security withOpenBeyondLoopback(boolean allowed) {
    return new Security(tls, plaintextBeyondLoopback, roles, allowed, token, reflection);
  }

  public Security withToken(BearerToken token) {
    return new Security(tls, plaintextBeyondLoopback, roles, openBeyondLoopback, token, reflection);
  }

  public Security withReflection(boolean reflection) {
    return new Security(tls, plaintextBeyondLoopback, roles, openBeyondLoopback, token, reflection);
  }

  /** TLS when this process has a certificate of its own, else plaintext. */
  public ServerCredentials serverCredentials() {
    return tls != null && tls.servesWithCertificate() ? tls.serverCredentials() : InsecureServerCredentials.create();
  }

  /**
   * TLS when this process has TLS files (peers verified against its CA, its certificate offered), else
   * plaintext; either way with its token, if it has one, on every call.
   */
  public ChannelCredentials channelCredentials() {
    ChannelCredentials transport = tls != null ? tls.channelCredentials() : InsecureChannelCredentials.create();
    return token == null ? transport : CompositeChannelCredentials.create(transport, token);
  }

  /** The interceptor that checks roles on {@code server}; empty when every caller may call every RPC. */
  public Optional<ServerInterceptor> authorization(String server) {
    return Optional.ofNullable(roles).map(roles -> new Authorization(server, roles));
  }

  /**
   * Refuses to serve {@code host} unguarded: on a non-loopback address, plaintext needs
   * {@link #plaintextBeyondLoopback} and a server that lets every caller in (no roles, no required client
   * certificates) needs {@link #openBeyondLoopback}. IllegalArgumentException saying what to give instead.
   */
  public void checkExposure(String host) {
    if (isLoopback(host)) {
      return;
    }
    boolean servesTls = tls != null && tls.servesWithCertificate();
    if (!servesTls && !plaintextBeyondLoopback) {
      throw new IllegalArgumentException(host + " is not a loopback address, and plaintext there lets anyone on the"
          + " network read and alter every call: serve TLS (--tls-cert, --tls-key), or pass --plaintext where the"
          + " network itself is trusted");
    }
    boolean clientsVerified = servesTls && tls.requiresClientCertificates();
    if (roles == null && !clientsVerified && !openBeyondLoopback) {
      throw new IllegalArgumentException(host + " is not a loopback address, and without roles anyone who reaches"
          + " it may call every RPC, training and unloading models included: give callers roles (--roles FILE or"
          + " DDPM_ROLES), or require client certificates (--tls-client-auth require), or pass --no-auth where"
          + " every caller is trusted");
    }
  }

  /** For the log: transport, roles, reflection; never a token. */
  public String describe() {
    return (tls != null && tls.servesWithCertificate() ? tls.describe() : "plaintext")
        + ", " + (roles != null ? "roles from " + roles.describe()
            : tls != null && tls.requiresClientCertificates() ? "every verified client may call every RPC"
            : "every caller may call every RPC")
        + (reflection ? ", reflection on" : "");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
