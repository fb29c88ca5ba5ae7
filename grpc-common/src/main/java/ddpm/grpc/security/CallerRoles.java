package ddpm.grpc.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which roles each caller has: what a roles file lists, one caller a line,
 *
 * <pre>
 * # credential              roles
 * 9f86d081884c7d659a2feaa0   sample
 * 2c26b46b68ffc68ff99b453c   admin
 * cert:sampler.ddpm.svc      sample
 * </pre>
 *
 * where a credential is a bearer token (at least {@value #MIN_TOKEN_LENGTH} characters, no spaces) or
 * {@code cert:NAME}, a client certificate whose subject CN or one of whose subject alternative names
 * (DNS, IP, URI) is NAME. Roles are {@code sample} and {@code admin}, comma-separated; {@code #} starts a
 * comment line. The same lines may come from an environment variable, separated by newlines or {@code ;}.
 *
 * <p>Only SHA-256 hashes of the tokens are kept, and a token is looked up by comparing its hash with every
 * entry's in constant time ({@link MessageDigest#isEqual}), so the time an answer takes tells nothing about
 * how close a guess was. No message, here or in a log, repeats any part of a line: a token in the wrong
 * column must not end up in a log.
 */
public final class CallerRoles implements AutoCloseable {
  /** A shorter token could be guessed; {@code openssl rand -hex 32} makes one of 64. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final String CERTIFICATE_PREFIX = "cert:";

  private final String source;
  private final Reloading<Entries> entries;

  private CallerRoles(String source, Reloading<Entries> entries) {
    this.source = source;
    this.entries = entries;
  }

  /**
   * The roles {@code file} lists, read again whenever it changes; IllegalArgumentException naming the entry
   * that does not parse.
   */
  public static CallerRoles fromFile(Path file) throws IOException {
    String source = "roles file " + file;
    return new CallerRoles(source, Reloading.start(source, List.of(file),
        () -> Entries.parse(Files.readString(file, StandardCharsets.UTF_8), source)));
  }

  /** The roles {@code text} lists; {@code source} names it in errors, e.g. {@code "DDPM_ROLES"}. */
  public static CallerRoles fromText(String text, String source) {
    try {
      return new CallerRoles(source, Reloading.start(source, List.of(), () -> Entries.parse(text, source)));
    } catch (IOException e) {
      throw new UncheckedIOException("reads no file", e);
    }
  }

  /** Reads the roles file again if it changed since the last look; true if new roles are in use. */
  public boolean refresh() {
    return entries.refresh();
  }

  /** The roles of the caller who presents {@code token}; empty for a token nobody listed. */
  public Set<Role> ofToken(String token) {
    byte[] hash = Reloading.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    Set<Role> roles = EnumSet.noneOf(Role.class);
    // Every entry is compared, matched or not, so that the time taken is the same for every token.
    for (TokenEntry entry : entries.get().tokens()) {
      if (MessageDigest.isEqual(entry.hash(), hash)) {
        roles.addAll(entry.roles());
      }
    }
    return roles;
  }

  /** The roles of a client certificate that names itself {@code names} (its CN and subject alternative names). */
  public Set<Role> ofCertificate(Collection<String> names) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Map<String, Set<Role>> certificates = entries.get().certificates();
    for (String name : names) {
      roles.addAll(certificates.getOrDefault(name, Set.of()));
    }
    return roles;
  }

  /** Where the roles come from and how many callers they list, for the log; never a token. */
  public String describe() {
    Entries now = entries.get();
    return source + " (tokens: " + now.tokens().size() + ", certificate names: " + now.certificates().size() + ")";
  }

  @Override
  public void close() {
    entries.close();
  }

  private record TokenEntry(byte[] hash, Set<Role> roles) {}

  private record Entries(List<TokenEntry> tokens, Map<String, Set<Role>> certificates) {
    static Entries parse(String text, String source) {
      List<TokenEntry> tokens = new ArrayList<>();
      Map<String, Set<Role>> certificates = new HashMap<>();
      Map<String, Integer> seen = new HashMap<>();
      String[] lines = text.split("\r?\n|;", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String where = source + " entry " + (i + 1);
        String[] fields = line.split("\\s+");
        if (fields.length != 2) {
          throw new IllegalArgumentException(where
              + ": must be `TOKEN ROLE[,ROLE]` or `cert:NAME ROLE[,ROLE]` (roles: sample, admin)");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String label : fields[1].split(",")) {
          try {
            roles.add(Role.parse(label));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
          }
        }
        if (roles.isEmpty()) {
          throw new IllegalArgumentException(where + ": names no role (roles: sample, admin)");
        }
        String credential = fields[0];
        Integer before = seen.putIfAbsent(credential, i + 1);
        if (before != null) {
          throw new IllegalArgumentException(where + ": the same credential as entry " + before);
        }
        if (credential.startsWith(CERTIFICATE_PREFIX)) {
          String name = credential.substring(CERTIFICATE_PREFIX.length());
          if (name.isEmpty()) {
            throw new IllegalArgumentException(where + ": cert: needs the certificate's name, e.g. cert:sampler");
          }
          certificates.put(name, Set.copyOf(roles));
        } else if (credential.length() < MIN_TOKEN_LENGTH) {
          throw new IllegalArgumentException(where + ": a token must be at least " + MIN_TOKEN_LENGTH
              + " characters (e.g. `openssl rand -hex 32`)");
        } else {
          tokens.add(new TokenEntry(
              Reloading.sha256().digest(credential.getBytes(StandardCharsets.UTF_8)), Set.copyOf(roles)));
        }
      }
      return new Entries(List.copyOf(tokens), Map.copyOf(certificates));
    }
  }
}
