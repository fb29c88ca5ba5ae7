package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
  private static final String METHOD = "ddpm.v1.DenoiserService/PredictNoise";
  private static final Status BAD_XT = Status.INVALID_ARGUMENT.withDescription("x_t: values must be finite");

  private final AtomicLong now = new AtomicLong();
  private final RefusalLog log = new RefusalLog(now::get);

  @Test
  void oneLineNamesTheMethodTheCallerTheCodeAndTheReason() {
    assertEquals(Optional.of("refused " + METHOD + " from /127.0.0.1:5000: INVALID_ARGUMENT x_t: values must be "
        + "finite"), log.line(METHOD, "/127.0.0.1:5000", BAD_XT));
  }

  /** A client sending malformed requests in a loop once wrote 93 MB of logs in 3 minutes. */
  @Test
  void eachMethodLogsAtMostItsLinesASecondAndThenSaysHowManyWentUnlogged() {
    for (int i = 0; i < RefusalLog.LINES_PER_SECOND; i++) {
      assertTrue(log.line(METHOD, "peer", BAD_XT).isPresent(), "line " + i);
    }
    for (int i = 0; i < 1000; i++) {
      assertTrue(log.line(METHOD, "peer", BAD_XT).isEmpty());
    }
    assertTrue(log.line("ddpm.v1.SamplerService/Sample", "peer", BAD_XT).isPresent(), "another method's own lines");

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    String next = log.line(METHOD, "peer", BAD_XT).orElseThrow();
    assertTrue(next.endsWith("(and 1000 more refusals of this method, not logged)"), next);
    assertTrue(log.line(METHOD, "peer", BAD_XT).orElseThrow().endsWith("finite"), "the count is told once");
  }

  @Test
  void aHugeDescriptionIsCut() {
    String line = log.line(METHOD, "peer", Status.NOT_FOUND.withDescription("x".repeat(100_000))).orElseThrow();
    assertTrue(line.length() < StatusMapper.MAX_DESCRIPTION_CHARS + 100, "length " + line.length());
  }
}
