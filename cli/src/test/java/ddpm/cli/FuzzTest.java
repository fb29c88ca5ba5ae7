package ddpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import ddpm.api.v1.StartTrainingResponse;
import ddpm.diffusion.Echo;
import ddpm.testing.RawCalls;
import ddpm.testing.Slow;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random requests on every RPC of every service ({@link RandomRequests}: random fields, random bytes, flipped
 * bytes of valid requests), sent as raw bytes, for {@value #DEFAULT_SECONDS} s in CI; {@code -Dddpm.fuzz.seconds=600}
 * runs longer and {@code -Dddpm.fuzz.seed=N} draws other requests. Every answer keeps {@link ErrorContract} (never
 * UNKNOWN or INTERNAL, a short message without server paths or class names), no server logs a stack trace for what a
 * client sent, and every server is SERVING at the end.
 */
@Slow
class FuzzTest {
  private static final int DEFAULT_SECONDS = 45;
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** The one stack trace a client may cause: a job that passed every check and failed as this suite's trainer began. */
  private static final String FAILED_JOBS = "ddpm.trainer.jobs.JobManager";

  @TempDir Path dir;

  /** Every record the servers log while the fuzzer runs. */
  private static final class Records extends Handler {
    final List<LogRecord> records = new ArrayList<>();

    @Override
    public synchronized void publish(LogRecord record) {
      records.add(record);
    }

    synchronized List<LogRecord> withStackTraces() {
      return records.stream().filter(r -> r.getThrown() != null && !r.getLoggerName().equals(FAILED_JOBS)).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void noRequestGetsUnknownInternalALeakOrAStackTraceAndEveryServerStillServes() throws Exception {
    long seed = Long.getLong("ddpm.fuzz.seed", 18);
    long seconds = Long.getLong("ddpm.fuzz.seconds", DEFAULT_SECONDS);
    Records log = new Records();
    Logger root = Logger.getLogger("");
    try (ExposedSuite suite = new ExposedSuite(dir)) {
      RandomRequests requests = new RandomRequests(seed);
      Map<String, Integer> codes = new TreeMap<>();
      List<String> breaches = new ArrayList<>();
      root.addHandler(log);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      int calls = 0;
      for (; System.nanoTime() < end; calls++) {
        MethodDescriptor<?, ?> method = requests.method();
        RandomRequests.Kind kind = requests.kind();
        List<byte[]> sent = requests.requests(method, kind);
        RawCalls.Outcome outcome = RawCalls.call(suite.channel(method), method, sent, DEADLINE);
        Status status = outcome.status();
        codes.merge(method.getBareMethodName() + " " + status.getCode(), 1, Integer::sum);
        List<String> broken = ErrorContract.breaches(status, suite.root());
        if (!broken.isEmpty() && breaches.size() < 20) {
          breaches.add("call " + calls + " (seed " + seed + "), " + method.getBareMethodName() + " with " + kind
              + ": " + broken + " in " + status.getCode() + " " + Echo.cut(String.valueOf(status.getDescription())));
        }
        if (status.isOk() && method.getBareMethodName().equals("StartTraining")) {
          requests.jobStarted(jobId(outcome));
        }
      }
      root.removeHandler(log);
      System.out.printf("fuzz: %d calls in %d s, seed %d, %d log records: %s%n", calls, seconds, seed,
          log.records.size(), codes);

      assertEquals(List.of(), breaches);
      assertEquals(List.of(), log.withStackTraces().stream()
          .map(r -> r.getLoggerName() + ": " + r.getMessage() + ": " + r.getThrown()).toList());
      Map<String, ServingStatus> health = suite.health();
      assertTrue(health.values().stream().allMatch(ServingStatus.SERVING::equals), health.toString());
    } finally {
      root.removeHandler(log);
    }
  }

  private static String jobId(RawCalls.Outcome outcome) throws InvalidProtocolBufferException {
    return StartTrainingResponse.parseFrom(outcome.replies().get(0)).getJobId();
  }
}
