package ddpm.grpc.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * What some files hold, loaded again when their content changes: certificates that cert-manager renews, a
 * roles file or a token that an operator rotates, all without a restart. The files are checked every
 * {@link #PERIOD} on one daemon thread that the process shares. Contents are compared, not modification
 * times, so that a Kubernetes Secret's atomic swap of a symbolic link is seen, and so is a copy made within
 * the second. A change that does not load (a key copied before its certificate, a typo) is logged once and
 * the value before it kept; the next change is tried again.
 *
 * @param <T> what the files make
 */
final class Reloading<T> implements AutoCloseable {
  /** How soon a changed file is in use; Kubernetes itself takes up to a minute to update a mounted Secret. */
  static final Duration PERIOD = Duration.ofSeconds(10);

  private static final Logger log = Logger.getLogger(Reloading.class.getName());
  private static final ScheduledExecutorService CHECKS = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "ddpm-file-watch");
    thread.setDaemon(true);
    return thread;
  });

  /** Reads the files and makes their value; it may also put the value to use (a key manager's new key). */
  interface Loader<T> {
    T load() throws IOException, GeneralSecurityException;
  }

  private final String what;
  private final List<Path> files;
  private final Loader<T> loader;
  private volatile T value;
  private byte[] fingerprint;
  private ScheduledFuture<?> watch;

  private Reloading(String what, List<Path> files, Loader<T> loader) {
    this.what = what;
    this.files = List.copyOf(files);
    this.loader = loader;
  }

  /**
   * Loads {@code files} now, failing with the loader's error if they do not load, then watches them; with no
   * files, the value never changes. {@code what} names them in errors and log lines, e.g.
   * {@code "roles file /etc/ddpm/roles"}.
   */
  static <T> Reloading<T> start(String what, List<Path> files, Loader<T> loader) throws IOException {
    Reloading<T> reloading = new Reloading<>(what, files, loader);
    try {
      reloading.fingerprint = fingerprint(reloading.files);
    } catch (IOException e) {
      throw new IOException(what + ": cannot read " + e.getMessage(), e);
    }
    try {
      reloading.value = loader.load();
    } catch (GeneralSecurityException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (!files.isEmpty()) {
      long millis = PERIOD.toMillis();
      reloading.watch = CHECKS.scheduleWithFixedDelay(reloading::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }
    return reloading;
  }

  T get() {
    return value;
  }

  /**
   * Loads the files again if their content changed since the last look; true if a new value is in use.
   * The watch calls this every {@link #PERIOD}; a test calls it to see a change at once.
   */
  synchronized boolean refresh() {
    byte[] now;
    try {
      now = fingerprint(files);
    } catch (IOException e) {
      // Between a Secret's old and new files, or being replaced: the next look sees the new ones.
      return false;
    }
    if (Arrays.equals(now, fingerprint)) {
      return false;
    }
    fingerprint = now;
    try {
      value = loader.load();
      log.info(() -> what + " changed: loaded again");
      return true;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      log.warning(() -> what + " changed but could not be loaded; still using what was loaded before: "
          + e.getMessage());
      return false;
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.cancel(false);
    }
  }

  /** SHA-256 of each file's content, in order. */
  private static byte[] fingerprint(List<Path> files) throws IOException {
    MessageDigest all = sha256();
    for (Path file : files) {
      all.update(sha256().digest(Files.readAllBytes(file)));
    }
    return all.digest();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
