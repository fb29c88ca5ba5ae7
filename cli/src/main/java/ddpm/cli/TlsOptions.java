package ddpm.cli;

import ddpm.grpc.security.TlsFiles;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A process's TLS files, each also from an environment variable (what a Kubernetes Deployment sets): for
 * {@code serve}, its server's and its channels' to peers; for a command, its --target channel's.
 */
final class TlsOptions {
  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain, leaf first: a server's own, also shown to peers that ask for one"
          + " (mutual TLS); re-read when it changes. Default: $DDPM_TLS_CERT.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The --tls-cert's private key, unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY). Default: $DDPM_TLS_KEY.")
  Path key;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "PEM certificates of the authorities that servers' (and, with --tls-client-auth, clients')"
          + " certificates must chain to. Default: $DDPM_TLS_CA, else the JVM's trusted roots.")
  Path ca;

  TlsFiles files(ClientAuth clientAuth) {
    return new TlsFiles(Environment.path(cert, "DDPM_TLS_CERT"), Environment.path(key, "DDPM_TLS_KEY"),
        Environment.path(ca, "DDPM_TLS_CA"), clientAuth);
  }

  /** Whether a flag or an environment variable names any TLS file. */
  boolean any() {
    TlsFiles files = files(ClientAuth.NONE);
    return files.certificate() != null || files.ca() != null;
  }
}
