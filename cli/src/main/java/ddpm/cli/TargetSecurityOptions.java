package ddpm.cli;

import ddpm.grpc.security.BearerToken;
import ddpm.grpc.security.Security;
import ddpm.grpc.security.Tls;
import io.grpc.ChannelCredentials;
import io.grpc.TlsServerCredentials.ClientAuth;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a command's --target channel verifies the service and shows who calls: TLS files and a token. */
final class TargetSecurityOptions {
  @Option(names = "--tls",
      description = "With --target: dial with TLS, trusting the JVM's roots unless --tls-ca names others (implied"
          + " by --tls-ca, --tls-cert and their environment variables).")
  boolean useTls;

  @Mixin TlsOptions tls;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "With --target: send `authorization: Bearer TOKEN`. Prefer $DDPM_TOKEN or --token-file: a"
          + " command line is visible to every user of the machine.")
  String token;

  @Mixin TokenOptions tokenSources;

  /** The --target channel's credentials: TLS if asked for, else plaintext; the token, if any. */
  ChannelCredentials credentials() throws IOException {
    Security security = Security.NONE;
    if (useTls || tls.any()) {
      security = security.withTls(Tls.load(tls.files(ClientAuth.NONE)));
    }
    BearerToken own = tokenSources.token(token);
    return (own == null ? security : security.withToken(own)).channelCredentials();
  }
}
