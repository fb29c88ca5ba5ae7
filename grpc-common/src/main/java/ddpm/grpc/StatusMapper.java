package ddpm.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
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
 * Anything else is a bug: it is logged with its stack trace and answered as INTERNAL, never UNKNOWN.
 */
public final class StatusMapper {
  private static final Logger log = Logger.getLogger(StatusMapper.class.getName());

  private StatusMapper() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (e instanceof StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    Status status;
    if (e instanceof IllegalArgumentException) {
      status = Status.INVALID_ARGUMENT;
    } else if (e instanceof NoSuchElementException) {
      status = Status.NOT_FOUND;
    } else if (e instanceof IllegalStateException) {
      status = Status.FAILED_PRECONDITION;
    } else if (e instanceof RejectedExecutionException) {
      status = Status.RESOURCE_EXHAUSTED;
    } else if (e instanceof CancellationException) {
      status = Status.CANCELLED;
    } else {
      log.log(Level.SEVERE, "internal error", e);
      return Status.INTERNAL.withDescription("internal error: " + e).withCause(e).asRuntimeException();
    }
    return status.withDescription(e.getMessage()).withCause(e).asRuntimeException();
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
