package ddpm.grpc.security;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One process's TLS: its certificate, offered to clients as a server and to servers that ask for one as a
 * client (mutual TLS), and the authorities it verifies peers against, all re-read when their files change
 * (see {@link Reloading}) so that a renewed certificate is used without a restart. Connections made before
 * a change keep the certificate they began with; the next connection gets the new one.
 *
 * <p>grpc-java's {@link AdvancedTlsX509KeyManager} and {@link AdvancedTlsX509TrustManager} take the new
 * material; the files are read and checked here, all of them before any is used, so that a key that does
 * not match its certificate (one copied before the other) is refused instead of breaking every handshake.
 */
public final class Tls implements AutoCloseable {
  private static final String PEM_KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_KEY_END = "-----END PRIVATE KEY-----";

  private final TlsFiles files;
  private final AdvancedTlsX509KeyManager identity = new AdvancedTlsX509KeyManager();
  /** Verifies clients: the chain only, since a client's name is not known in advance. */
  private final AdvancedTlsX509TrustManager clientVerifier;
  /** Verifies servers: the chain and that the certificate names the host dialed. */
  private final AdvancedTlsX509TrustManager serverVerifier;
  private Reloading<String> reloading;

  private Tls(TlsFiles files) {
    this.files = files;
    this.clientVerifier = verifier(Verification.CERTIFICATE_ONLY_VERIFICATION);
    this.serverVerifier = verifier(Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION);
  }

  private static AdvancedTlsX509TrustManager verifier(Verification verification) {
    try {
      return AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
    } catch (CertificateException e) {
      throw new IllegalStateException("a trust manager without certificates yet", e);
    }
  }

  /**
   * Reads {@code files} now, failing with an error that names the file and what is wrong with it, then
   * watches them for changes.
   */
  public static Tls load(TlsFiles files) throws IOException {
    Tls tls = new Tls(Objects.requireNonNull(files, "files"));
    List<Path> watched = new ArrayList<>();
    if (files.hasCertificate()) {
      watched.add(files.certificate());
      watched.add(files.key());
    }
    if (files.ca() != null) {
      watched.add(files.ca());
    }
    tls.reloading = Reloading.start("TLS files", watched, tls::install);
    return tls;
  }

  /** Reads the files and puts them to use; a summary for the log. */
  private String install() throws IOException, GeneralSecurityException {
    X509Certificate[] chain = null;
    PrivateKey key = null;
    if (files.hasCertificate()) {
      chain = certificates(files.certificate(), "tls_cert");
      key = privateKey(files.key());
      requireKeyOf(chain[0], key);
      chain[0].checkValidity();
    }
    X509Certificate[] authorities = files.ca() == null ? null : certificates(files.ca(), "tls_ca");
    if (chain != null) {
      identity.updateIdentityCredentials(chain, key);
    }
    if (authorities != null) {
      clientVerifier.updateTrustCredentials(authorities);
      serverVerifier.updateTrustCredentials(authorities);
    }
    return (chain == null ? "no certificate" : "certificate " + chain[0].getSubjectX500Principal().getName()
        + " until " + chain[0].getNotAfter().toInstant())
        + (authorities == null ? ", the JVM's trusted roots" : ", trusted authorities: " + authorities.length);
  }

  /**
   * Reads the files again if they changed since the last look; true if new ones are in use. Checked every
   * {@link Reloading#PERIOD} anyway; a test calls this to see a change at once.
   */
  public boolean refresh() {
    return reloading.refresh();
  }

  /** What a server accepts connections with; IllegalStateException without a certificate of its own. */
  public ServerCredentials serverCredentials() {
    if (!files.hasCertificate()) {
      throw new IllegalStateException("tls_cert, tls_key: a TLS server needs its own certificate and key");
    }
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(identity)
        .clientAuth(files.clientAuth());
    if (files.ca() != null) {
      builder.trustManager(clientVerifier);
    }
    return builder.build();
  }

  /** What channels dial with: the server's certificate verified, this process's own offered if asked for. */
  public ChannelCredentials channelCredentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    if (files.hasCertificate()) {
      builder.keyManager(identity);
    }
    if (files.ca() != null) {
      builder.trustManager(serverVerifier);
    }
    return builder.build();
  }

  public boolean servesWithCertificate() {
    return files.hasCertificate();
  }

  /** Whether a server refuses clients without a certificate that chains to the CA. */
  public boolean requiresClientCertificates() {
    return files.clientAuth() == ClientAuth.REQUIRE;
  }

  /** For the log: what is loaded; never key material. */
  public String describe() {
    return "TLS (" + reloading.get() + switch (files.clientAuth()) {
      case NONE -> ")";
      case OPTIONAL -> ", client certificates verified when given)";
      case REQUIRE -> ", client certificates required)";
    };
  }

  @Override
  public void close() {
    reloading.close();
  }

  private static X509Certificate[] certificates(Path file, String field) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> parsed;
    try (InputStream in = Files.newInputStream(file)) {
      parsed = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      throw new CertificateException(field + ": " + file + " holds no readable PEM certificate: " + e.getMessage(), e);
    }
    if (parsed.isEmpty()) {
      throw new CertificateException(field + ": " + file + " holds no PEM certificate");
    }
    return parsed.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
  }

  /** A PKCS#8 RSA or EC key, as cert-manager writes with {@code privateKey.encoding: PKCS8}. */
  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PEM_KEY_BEGIN);
    int end = pem.indexOf(PEM_KEY_END);
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException("tls_key: " + file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
          + " convert one with `openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem`, or set cert-manager's"
          + " privateKey.encoding to PKCS8");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_KEY_BEGIN.length(), end));
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException e) {
        // Not this algorithm's: try the next.
      }
    }
    throw new GeneralSecurityException("tls_key: " + file + " holds neither an RSA nor an EC key");
  }

  private static void requireKeyOf(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
    byte[] probe = "ddpm".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another algorithm than the certificate's: the same answer.
    }
    throw new GeneralSecurityException("tls_key: not the key of the certificate in tls_cert ("
        + certificate.getSubjectX500Principal().getName() + ")");
  }
}
