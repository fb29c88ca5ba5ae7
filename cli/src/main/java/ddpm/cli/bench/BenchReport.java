package ddpm.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The medians of a bench run, as a table and as one JSON line of ratios; the ratios are defined here only. */
final class BenchReport {
  static final String IN_PROCESS_1 = "in-process sampling, 1 image";
  static final String IN_PROCESS_B = "in-process sampling, B images";
  static final String GRPC_1X1 = "gRPC sampling, 1 request x 1 image";
  static final String GRPC_1XB = "gRPC sampling, 1 request x B images";
  static final String GRPC_BX1 = "gRPC sampling, B requests x 1 image";
  static final String GRPC_BX1_UNBATCHED = "gRPC sampling, B requests x 1 image, batching off";

  private final String model;
  private final long version;
  private final int steps;
  private final int batch;
  private final Map<String, List<Double>> seconds;

  BenchReport(String model, long version, int steps, int batch, Map<String, List<Double>> seconds) {
    this.model = model;
    this.version = version;
    this.steps = steps;
    this.batch = batch;
    this.seconds = seconds;
  }

  static String localCall(int images) {
    return "one eps call in-process, " + images + " image(s)";
  }

  static String unaryCall(int images) {
    return "one eps call, unary PredictNoise, " + images + " image(s)";
  }

  static String streamCall(int images) {
    return "one eps call, PredictNoiseStream, " + images + " image(s)";
  }

  void print(PrintWriter out) {
    out.printf(Locale.ROOT, "%n%-52s %12s   %s%n", "measurement (B = " + batch + ", K = " + steps + ")",
        "median (s)", "rounds (s)");
    for (Map.Entry<String, List<Double>> run : seconds.entrySet()) {
      List<String> each = new ArrayList<>();
      run.getValue().forEach(s -> each.add(String.format(Locale.ROOT, "%.4f", s)));
      out.printf(Locale.ROOT, "%-52s %12.4f   %s%n", run.getKey(), median(run.getKey()), String.join(" ", each));
    }
    double grpcVsInProcess = median(IN_PROCESS_B) / median(GRPC_1XB);
    double concurrentVsOne = median(GRPC_1XB) / median(GRPC_BX1);
    double batchingGain = median(GRPC_BX1_UNBATCHED) / median(GRPC_BX1);
    double stepOverhead1 = perStepMicros(GRPC_1X1, IN_PROCESS_1);
    double stepOverheadB = perStepMicros(GRPC_1XB, IN_PROCESS_B);
    out.printf(Locale.ROOT, "%n(a) gRPC / in-process throughput, 1 request of %d images: %.3f (target >= 0.9)%n",
        batch, grpcVsInProcess);
    out.printf(Locale.ROOT, "(b) %d concurrent 1-image requests / one %d-image request: %.3f (target >= 0.85)%n",
        batch, batch, concurrentVsOne);
    out.printf(Locale.ROOT, "(c) batching on / off, %d concurrent 1-image requests: %.2fx%n", batch, batchingGain);
    out.printf(Locale.ROOT, "(d) overhead per sampling step over gRPC: %.0f us at batch 1, %.0f us at batch %d%n",
        stepOverhead1, stepOverheadB, batch);
    out.printf(Locale.ROOT, "    one eps call over in-process, unary / stream: batch 1: %.0f / %.0f us; batch %d: %.0f / %.0f us%n",
        callOverheadMicros(unaryCall(1), 1), callOverheadMicros(streamCall(1), 1), batch,
        callOverheadMicros(unaryCall(batch), batch), callOverheadMicros(streamCall(batch), batch));
    out.printf(Locale.ROOT, "{\"model\":\"%s\",\"version\":%d,\"steps\":%d,\"batch\":%d,"
            + "\"grpc_vs_in_process\":%.4f,\"concurrent_vs_one_request\":%.4f,\"batching_gain\":%.4f,"
            + "\"step_overhead_us_batch_1\":%.1f,\"step_overhead_us_batch_%d\":%.1f,"
            + "\"unary_call_overhead_us_batch_1\":%.1f,\"stream_call_overhead_us_batch_1\":%.1f,"
            + "\"unary_call_overhead_us_batch_%d\":%.1f,\"stream_call_overhead_us_batch_%d\":%.1f}%n",
        model, version, steps, batch, grpcVsInProcess, concurrentVsOne, batchingGain, stepOverhead1, batch,
        stepOverheadB, callOverheadMicros(unaryCall(1), 1), callOverheadMicros(streamCall(1), 1), batch,
        callOverheadMicros(unaryCall(batch), batch), batch, callOverheadMicros(streamCall(batch), batch));
    out.flush();
  }

  /** What one sampling step costs over gRPC beyond the same step in-process. */
  private double perStepMicros(String overGrpc, String inProcess) {
    return (median(overGrpc) - median(inProcess)) / steps * 1e6;
  }

  private double callOverheadMicros(String call, int images) {
    return (median(call) - median(localCall(images))) * 1e6;
  }

  private double median(String run) {
    List<Double> sorted = new ArrayList<>(seconds.get(run));
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
