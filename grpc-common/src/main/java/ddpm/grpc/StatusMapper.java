package ddpm.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns an exception from a service's core into a gRPC status. Core classes stay
 * free of gRPC by throwing the JDK's exceptions with a message that names the offending field:
 *
 * <ul>
 *   <li>{@link IllegalArgumentException}: INVALID_ARGUMENT (bad input)
 *   <li>{@link NoSuchElementException}: NOT_FOUND (unknown model, version or job)
 *   <li>{@link IllegalStateException}: FAILED_PRECONDITION (the request is valid but cannot run now)
 *   <li>{@link RejectedExecutionException}: RESOURCE_EXHAUSTED (a full queue)
 *   <li>{@link CancellationException}: CANCELLED
 * </ul>
 *
 * Anything else is a bug: it is logged with its stack trace under an incident number and answered as INTERNAL
 * with that number alone, never UNKNOWN, and never with the exception's class or message, which may name the
 * server's files. Every description is cut to {@value #MAX_DESCRIPTION_CHARS} characters: it travels in an
 * HTTP/2 header, and a peer refuses a header block over 8 KiB as a broken stream.
 */
public final class StatusMapper {
  static final int MAX_DESCRIPTION_CHARS = 1000;
  private static final Logger log = Logger.getLogger(StatusMapper.class.getName());

  private StatusMapper() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof StatusRuntimeException sre) {
      return bounded(sre.getStatus()).asRuntimeException(sre.getTrailers());
    }
    if (e instanceof StatusException se) {
      return bounded(se.getStatus()).asRuntimeException(se.getTrailers());
    }
    Status status;
    if (e instanceof IllegalArgumentException) {
      status = Status.INVALID_ARGUMENT;
    } else if (e instanceof NoSuchElementException) {
      status = Status.NOT_FOUND;
    } else if (e instanceof CancellationException) {
      // Before IllegalStateException, which it extends.
      status = Status.CANCELLED;
    } else if (e instanceof IllegalStateException) {
      status = Status.FAILED_PRECONDITION;
    } else if (e instanceof RejectedExecutionException) {
      status = Status.RESOURCE_EXHAUSTED;
    } else {
      String incident = Integer.toHexString(ThreadLocalRandom.current().nextInt());
      log.log(Level.SEVERE, "internal error, incident " + incident, e);
      return Status.INTERNAL.withDescription("internal error, incident " + incident + " in the server's log")
          .withCause(e).asRuntimeException();
    }
    return bounded(status.withDescription(e.getMessage())).withCause(e).asRuntimeException();
  }

  /** {@code status} with its description cut to {@value #MAX_DESCRIPTION_CHARS} characters. */
  static Status bounded(Status status) {
    String description = status.getDescription();
    if (description == null || description.length() <= MAX_DESCRIPTION_CHARS) {
      return status;
    }
    return status.withDescription(description.substring(0, MAX_DESCRIPTION_CHARS - 1) + "…");
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
