package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class StatusMapperTest {
  @Test
  void theJdksExceptionsMapToTheirStatusesWithTheirMessages() {
    assertEquals(Status.Code.INVALID_ARGUMENT, code(new IllegalArgumentException("x_t: bad")));
    assertEquals(Status.Code.NOT_FOUND, code(new NoSuchElementException("model: none")));
    assertEquals(Status.Code.FAILED_PRECONDITION, code(new IllegalStateException("unloaded")));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, code(new RejectedExecutionException("full")));
    assertEquals(Status.Code.CANCELLED, code(new CancellationException("cancelled")));
    assertEquals("x_t: bad", StatusMapper.toStatus(new CompletionException(new IllegalArgumentException("x_t: bad")))
        .getStatus().getDescription());
  }

  /**
   * A fault's exception may name classes and the server's files ("java.lang.ArithmeticException: long overflow"
   * once reached a client): INTERNAL says only where the server's log has it.
   */
  @Test
  void aFaultIsInternalWithAnIncidentNumberAndNothingOfTheException() {
    Status status = StatusMapper.toStatus(new ArithmeticException("long overflow in /srv/ddpm/Foo.java")).getStatus();
    assertEquals(Status.Code.INTERNAL, status.getCode());
    String description = status.getDescription();
    assertTrue(description.matches("internal error, incident [0-9a-f]+ in the server's log"), description);
    assertFalse(description.contains("Arithmetic") || description.contains("/srv"), description);
  }

  /** A status travels in an HTTP/2 header; one of 9,000 characters once broke the stream as INTERNAL. */
  @Test
  void everyDescriptionIsCutToTheBound() {
    String huge = "m".repeat(9000);
    assertEquals(StatusMapper.MAX_DESCRIPTION_CHARS,
        StatusMapper.toStatus(new IllegalArgumentException(huge)).getStatus().getDescription().length());
    assertEquals(StatusMapper.MAX_DESCRIPTION_CHARS, StatusMapper.toStatus(
        Status.NOT_FOUND.withDescription(huge).asRuntimeException()).getStatus().getDescription().length());
  }

  private static Status.Code code(Throwable e) {
    return StatusMapper.toStatus(e).getStatus().getCode();
  }
}
