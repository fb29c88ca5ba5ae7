package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServerRunnerTest {
  private static final String SCHEDULE_SERVICE = ScheduleServiceGrpc.SERVICE_NAME;

  private final List<ManagedChannel> channels = new ArrayList<>();

  /** Answers nothing useful: the runner, not the service, is under test. */
  private static final class EmptyScheduleService extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      observer.onNext(GetScheduleResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  @Test
  void servesHealthAndReflectionBesideItsServices() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", "127.0.0.1", 0, List.of(new EmptyScheduleService()))) {
      ManagedChannel channel = channel(runner);
      var health = HealthGrpc.newBlockingStub(channel);
      assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(SCHEDULE_SERVICE).build()).getStatus());
      assertTrue(listedServices(channel).contains(SCHEDULE_SERVICE));
    }
  }

  @Test
  void closingStopsTheServerThenClosesItsResourcesInOrder() throws Exception {
    List<String> closed = new ArrayList<>();
    ServerRunner runner = ServerRunner.start("test", "127.0.0.1", 0, List.of(new EmptyScheduleService()),
        () -> closed.add("first"), () -> closed.add("second"));
    assertTrue(runner.port() > 0);
    runner.close();
    assertEquals(List.of("first", "second"), closed);
  }

  @Test
  void servesNoMetricsUnlessAsked() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", "127.0.0.1", 0, List.of(new EmptyScheduleService()))) {
      assertEquals(Optional.empty(), runner.metricsUrl());
    }
  }

  @Test
  void countsCallsAtItsMetricsEndpointUntilClosed() throws Exception {
    ServerRunner runner = ServerRunner.builder("test", "127.0.0.1", 0, List.of(new EmptyScheduleService()))
        .metrics(new PrometheusRegistry(), 0)
        .start();
    String url = runner.metricsUrl().orElseThrow();
    try {
      assertTrue(url.startsWith("http://127.0.0.1:") && url.endsWith("/metrics"), url);
      ScheduleServiceGrpc.newBlockingStub(channel(runner)).getSchedule(GetScheduleRequest.getDefaultInstance());
      assertTrue(get(url).contains("ddpm_grpc_server_requests_total{code=\"OK\",method=\"GetSchedule\","
          + "service=\"" + SCHEDULE_SERVICE + "\"} 1.0\n"), url);
    } finally {
      runner.close();
    }
    assertThrows(IOException.class, () -> get(url));
  }

  @Test
  void refusesAPortOutsideTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerRunner.start("scheduler", "127.0.0.1", 70000, List.of(new EmptyScheduleService())));
    assertTrue(e.getMessage().contains("port"), e.getMessage());
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private ManagedChannel channel(ServerRunner runner) {
    ManagedChannel channel = Channels.forTarget(runner.address());
    channels.add(channel);
    return channel;
  }

  private static List<String> listedServices(ManagedChannel channel) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return answer.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).toList();
  }

  @AfterEach
  void closeChannels() {
    channels.forEach(Channels::close);
  }
}
