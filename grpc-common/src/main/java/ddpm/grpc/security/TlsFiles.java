package ddpm.grpc.security;

import io.grpc.TlsServerCredentials.ClientAuth;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a process's TLS material lies, in PEM: its own certificate chain and private key (PKCS#8,
 * {@code BEGIN PRIVATE KEY}), and the certificate authorities it trusts. A server needs the first two; a
 * client (a channel to a peer) needs neither, and without a CA trusts the JVM's default roots.
 *
 * @param certificate the certificate chain, leaf first; null for none (a client without a certificate)
 * @param key the certificate's private key; null exactly when {@code certificate} is
 * @param ca the certificate authorities that peers' (and, with {@code clientAuth}, clients') certificates
 *     must chain to; null for the JVM's default roots
 * @param clientAuth whether a server asks clients for a certificate ({@code OPTIONAL}) or refuses those without
 *     one ({@code REQUIRE}); a certificate given is verified against {@code ca}, which these need
 */
public record TlsFiles(Path certificate, Path key, Path ca, ClientAuth clientAuth) {
  public TlsFiles {
    Objects.requireNonNull(clientAuth, "clientAuth");
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("tls_cert, tls_key: give both (a certificate and its key) or neither");
    }
    if (clientAuth != ClientAuth.NONE && (ca == null || certificate == null)) {
      throw new IllegalArgumentException("tls_client_auth: " + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
          + " needs tls_ca, to verify client certificates against, and the server's own tls_cert and tls_key");
    }
  }

  /** A client's: the authorities to trust (null: the JVM's roots), and optionally its own certificate. */
  public static TlsFiles client(Path certificate, Path key, Path ca) {
    return new TlsFiles(certificate, key, ca, ClientAuth.NONE);
  }

  public boolean hasCertificate() {
    return certificate != null;
  }
}
