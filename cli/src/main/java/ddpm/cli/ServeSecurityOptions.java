package ddpm.cli;

import ddpm.grpc.security.BearerToken;
import ddpm.grpc.security.CallerRoles;
import ddpm.grpc.security.Security;
import ddpm.grpc.security.Tls;
import ddpm.grpc.security.TlsFiles;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What guards a served port and what the service shows its own peers: TLS, mutual TLS, roles, its token,
 * reflection (docs/security.md). Without any, a server starts on loopback only; --plaintext and --no-auth
 * say that a network is trusted.
 */
final class ServeSecurityOptions {
  /** As the command line writes them. */
  enum ClientCertificates { none, optional, require }

  @Mixin TlsOptions tls;

  @Option(names = "--tls-client-auth", paramLabel = "MODE",
      description = "Mutual TLS: none, optional (verify a client certificate when one is shown) or require (refuse"
          + " clients without one from --tls-ca). Default: $DDPM_TLS_CLIENT_AUTH, else none.")
  ClientCertificates clientAuth;

  @Option(names = "--plaintext",
      description = "Serve without TLS on a --host other than loopback: only where the network itself is trusted"
          + " (or a service mesh encrypts it).")
  boolean plaintext;

  @Option(names = "--roles", paramLabel = "FILE",
      description = "Who may call what: lines `TOKEN ROLE[,ROLE]` or `cert:NAME ROLE[,ROLE]`, roles sample and"
          + " admin; re-read when it changes. Default: $DDPM_ROLES_FILE, else the lines in $DDPM_ROLES"
          + " (separated by newlines or ;); without any, every caller may call every RPC.")
  Path roles;

  @Option(names = "--no-auth",
      description = "Let every caller call every RPC on a --host other than loopback: only where every caller is"
          + " trusted.")
  boolean noAuth;

  @Mixin TokenOptions token;

  @Option(names = "--reflection", description = "Answer gRPC server reflection (grpcurl list, describe). Default: off.")
  boolean reflection;

  Security security() throws IOException {
    Security security = Security.NONE.withPlaintextBeyondLoopback(plaintext).withOpenBeyondLoopback(noAuth)
        .withReflection(reflection);
    TlsFiles files = tls.files(clientAuth());
    if (files.certificate() != null || files.ca() != null) {
      security = security.withTls(Tls.load(files));
    }
    CallerRoles callers = callerRoles();
    if (callers != null) {
      security = security.withRoles(callers);
    }
    BearerToken own = token.token(null);
    return own == null ? security : security.withToken(own);
  }

  private ClientAuth clientAuth() {
    String mode = clientAuth != null ? clientAuth.name() : Environment.text(null, "DDPM_TLS_CLIENT_AUTH");
    if (mode == null) {
      return ClientAuth.NONE;
    }
    try {
      return ClientAuth.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DDPM_TLS_CLIENT_AUTH: must be none, optional or require, got " + mode);
    }
  }

  private CallerRoles callerRoles() throws IOException {
    Path file = Environment.path(roles, "DDPM_ROLES_FILE");
    if (file != null) {
      return CallerRoles.fromFile(file);
    }
    String lines = Environment.text(null, "DDPM_ROLES");
    return lines == null ? null : CallerRoles.fromText(lines, "DDPM_ROLES");
  }
}
