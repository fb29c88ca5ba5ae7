package ddpm.grpc.security;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A caller's own credential, sent with every call as {@code authorization: Bearer TOKEN}: the sampler's to
 * the denoiser and the scheduler, the trainer's to the scheduler, the command line's to its --target. A
 * token read from a file is read again when the file changes. Nothing here prints the token.
 */
public final class BearerToken extends CallCredentials implements AutoCloseable {
  /** The header gRPC and HTTP share for credentials (RFC 6750). */
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String SCHEME = "Bearer ";

  private final Reloading<String> token;

  private BearerToken(Reloading<String> token) {
    this.token = token;
  }

  /** {@code token} as given, e.g. from the environment. */
  public static BearerToken of(String token) {
    try {
      return new BearerToken(Reloading.start("token", List.of(), () -> checked(token, "token")));
    } catch (IOException e) {
      throw new UncheckedIOException("reads no file", e);
    }
  }

  /** The token that {@code file} holds (surrounding whitespace ignored), read again whenever it changes. */
  public static BearerToken fromFile(Path file) throws IOException {
    String source = "token file " + file;
    return new BearerToken(Reloading.start(source, List.of(file),
        () -> checked(Files.readString(file, StandardCharsets.UTF_8), source)));
  }

  private static String checked(String token, String source) {
    String stripped = token.strip();
    if (stripped.isEmpty() || stripped.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException(source + ": must be one word of printable ASCII");
    }
    return stripped;
  }

  @Override
  public void applyRequestMetadata(RequestInfo request, Executor executor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, SCHEME + token.get());
    applier.apply(headers);
  }

  @Override
  public void close() {
    token.close();
  }

  @Override
  public String toString() {
    return "BearerToken[not shown]";
  }
}
