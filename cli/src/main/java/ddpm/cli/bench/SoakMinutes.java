package ddpm.cli.bench;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ddpm soak} saw, by the minute in which each request ended (the last minute also takes the requests
 * still running when it ended): how many, their latencies, and the failures by status code. Safe for the clients'
 * threads.
 */
final class SoakMinutes {
  static final String HEADER = "minute  requests  requests/s  p50 (s)  p99 (s)  failures";
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final long start;
  private final List<List<Long>> latencies = new ArrayList<>();
  private final List<Map<Status.Code, Integer>> failures = new ArrayList<>();

  SoakMinutes(long start, int minutes) {
    this.start = start;
    for (int m = 0; m < minutes; m++) {
      latencies.add(new ArrayList<>());
      failures.add(new TreeMap<>());
    }
  }

  long start() {
    return start;
  }

  /** A request that ended at {@code endNanos} after {@code latencyNanos}, with {@code code}. */
  synchronized void add(long endNanos, long latencyNanos, Status.Code code) {
    int minute = (int) Math.min(latencies.size() - 1, Math.max(0, (endNanos - start) / MINUTE));
    latencies.get(minute).add(latencyNanos);
    if (code != Status.Code.OK) {
      failures.get(minute).merge(code, 1, Integer::sum);
    }
  }

  /** The line of 1-based minute {@code minute}. */
  synchronized String minute(int minute) {
    return line(String.valueOf(minute), latencies.get(minute - 1), 1, failures.get(minute - 1));
  }

  /** The line of the whole run. */
  synchronized String total() {
    List<Long> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    Map<Status.Code, Integer> failed = new TreeMap<>();
    failures.forEach(m -> m.forEach((code, count) -> failed.merge(code, count, Integer::sum)));
    return line("all", all, latencies.size(), failed);
  }

  synchronized int failures() {
    return failures.stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
  }

  private static String line(String label, List<Long> nanos, int minutes, Map<Status.Code, Integer> failed) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(Locale.ROOT, "%6s  %8d  %10.2f  %7.3f  %7.3f  %s", label, sorted.length,
        sorted.length / (60.0 * minutes), seconds(percentile(sorted, 0.50)), seconds(percentile(sorted, 0.99)),
        failed.isEmpty() ? "0" : failed.toString());
  }

  /** The nearest-rank percentile: the smallest value with at least fraction {@code p} of them at or below it. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
