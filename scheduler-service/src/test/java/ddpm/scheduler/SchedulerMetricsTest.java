package ddpm.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.metrics.BuildInfo;
import ddpm.testing.GrpcCleanup;
import ddpm.testing.MetricsScrape;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real scheduler with its metrics endpoint on: every call is counted by method and status, and timed. */
class SchedulerMetricsTest {
  private static final String SERVICE = "service=\"" + ScheduleServiceGrpc.SERVICE_NAME + "\"";

  private static final SchedulerConfig METERED = new SchedulerConfig(Endpoint.loopback().withMetricsPort(0));

  @RegisterExtension final GrpcCleanup grpc = new GrpcCleanup();

  @Test
  void countsCallsByMethodAndStatusAndTimesThem() throws Exception {
    ServerRunner server = grpc.register(SchedulerServer.start(METERED));
    var stub = ScheduleServiceGrpc.newBlockingStub(grpc.channelTo(server));
    GetScheduleRequest good = GetScheduleRequest.newBuilder().setKind("linear").setTimesteps(100).build();
    stub.getSchedule(good);
    stub.getSchedule(good);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.getSchedule(good.toBuilder().setTimesteps(0).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());

    MetricsScrape scrape = MetricsScrape.of(server.metricsUrl().orElseThrow());
    assertEquals(2, scrape.value("ddpm_grpc_server_requests_total{code=\"OK\",method=\"GetSchedule\"," + SERVICE + "}"));
    assertEquals(1, scrape.value(
        "ddpm_grpc_server_requests_total{code=\"INVALID_ARGUMENT\",method=\"GetSchedule\"," + SERVICE + "}"));
    assertEquals(2, scrape.value(
        "ddpm_grpc_server_request_seconds_count{code=\"OK\",method=\"GetSchedule\"," + SERVICE + "}"));
    assertEquals(1, scrape.value(
        "ddpm_grpc_server_request_seconds_count{code=\"INVALID_ARGUMENT\",method=\"GetSchedule\"," + SERVICE + "}"));
    assertEquals(2, scrape.value(
        "ddpm_grpc_server_request_seconds_bucket{code=\"OK\",method=\"GetSchedule\"," + SERVICE + ",le=\"+Inf\"}"));
  }

  @Test
  void servesTheJvmsAndTheProcesssMetricsAndTheBuild() throws Exception {
    ServerRunner server = grpc.register(SchedulerServer.start(METERED));
    MetricsScrape scrape = MetricsScrape.of(server.metricsUrl().orElseThrow());

    BuildInfo build = BuildInfo.current();
    assertEquals(1, scrape.value(
        "ddpm_build_info{commit=\"" + build.commit() + "\",version=\"" + build.version() + "\"}"));
    assertTrue(scrape.value("jvm_memory_used_bytes{area=\"heap\"}") > 0, scrape.text());
    assertTrue(scrape.value("jvm_threads_current") > 0, scrape.text());
    assertTrue(scrape.text().contains("\njvm_gc_collection_seconds_count{gc=\""), scrape.text());
    assertTrue(scrape.value("process_cpu_seconds_total") > 0, scrape.text());
    assertTrue(scrape.value("process_resident_memory_bytes") > 0, scrape.text());
  }

  @Test
  void twoServersInOneJvmCountOnlyTheirOwnCalls() throws Exception {
    ServerRunner called = grpc.register(SchedulerServer.start(METERED));
    ServerRunner idle = grpc.register(SchedulerServer.start(METERED));
    ScheduleServiceGrpc.newBlockingStub(grpc.channelTo(called))
        .getSchedule(GetScheduleRequest.newBuilder().setKind("cosine").setTimesteps(10).build());

    String series = "ddpm_grpc_server_requests_total{code=\"OK\",method=\"GetSchedule\"," + SERVICE + "}";
    assertEquals(1, MetricsScrape.of(called.metricsUrl().orElseThrow()).value(series));
    assertFalse(MetricsScrape.of(idle.metricsUrl().orElseThrow()).text().contains("GetSchedule"));
  }
}
