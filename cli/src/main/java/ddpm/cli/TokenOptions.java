package ddpm.cli;

import ddpm.grpc.security.BearerToken;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The token a process sends with its calls ({@code authorization: Bearer TOKEN}): a served sampler's or
 * trainer's to its peers, a command's to its --target. A file is re-read when it changes; the token itself
 * may come from an environment variable, never from a line that every user of the machine can list.
 */
final class TokenOptions {
  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the token sent with every call as `authorization: Bearer TOKEN`, re-read when"
          + " it changes. Default: $DDPM_TOKEN_FILE, else the token itself in $DDPM_TOKEN.")
  Path tokenFile;

  /** {@code explicit} if given, else the file's token, else $DDPM_TOKEN's; null for no token. */
  BearerToken token(String explicit) throws IOException {
    if (explicit != null) {
      return BearerToken.of(explicit);
    }
    Path file = Environment.path(tokenFile, "DDPM_TOKEN_FILE");
    if (file != null) {
      return BearerToken.fromFile(file);
    }
    String token = Environment.text(null, "DDPM_TOKEN");
    return token == null ? null : BearerToken.of(token);
  }
}
