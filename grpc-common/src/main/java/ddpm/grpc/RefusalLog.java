package ddpm.grpc;

import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * One log line, without a stack trace, for each call a service ends with an error status, and at most
 * {@value #LINES_PER_SECOND} lines a second for each method: a client that sends malformed requests in a loop
 * must not fill the server's disk. The next line after a quiet second says how many refusals went unlogged.
 * Stack traces are for real faults only, which {@link StatusMapper} logs.
 */
final class RefusalLog {
  static final int LINES_PER_SECOND = 10;
  private static final Logger log = Logger.getLogger(RefusalLog.class.getName());
  private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** One method's current second: lines logged in it, and refusals not logged since the last line. */
  private static final class Window {
    long startNanos;
    int lines;
    long unlogged;
  }

  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** @param nanoClock {@link System#nanoTime} in a server; tests move time by hand */
  RefusalLog(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  void refused(String method, Object peer, Status status) {
    Optional<String> line = line(method, peer, status);
    if (line.isPresent()) {
      log.info(line.get());
    }
  }

  /** The line to log for this refusal; empty when {@code method} has had its lines for this second. */
  Optional<String> line(String method, Object peer, Status status) {
    Window window = windows.computeIfAbsent(method, m -> new Window());
    long unlogged;
    synchronized (window) {
      long now = nanoClock.getAsLong();
      if (window.lines == 0 || now - window.startNanos >= SECOND_NANOS) {
        window.startNanos = now;
        window.lines = 0;
      }
      if (window.lines == LINES_PER_SECOND) {
        window.unlogged++;
        return Optional.empty();
      }
      window.lines++;
      unlogged = window.unlogged;
      window.unlogged = 0;
    }
    String description = StatusMapper.bounded(status).getDescription();
    return Optional.of("refused " + method + " from " + peer + ": " + status.getCode()
        + (description == null ? "" : " " + description)
        + (unlogged == 0 ? "" : " (and " + unlogged + " more refusals of this method, not logged)"));
  }
}
