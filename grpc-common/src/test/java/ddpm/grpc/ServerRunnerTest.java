package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.grpc.security.Security;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
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

  /**
   * Answers a call only once released, or on its own after 20 s: within the default drain timeout, so that a
   * server that ignored a shorter one would see its call answered instead of cancelled.
   */
  private static final class HeldScheduleService extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      entered.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      observer.onNext(GetScheduleResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  private static final Endpoint WITH_REFLECTION = Endpoint.loopback().withSecurity(Security.NONE.withReflection(true));

  @Test
  void servesHealthAndReflectionBesideItsServices() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", WITH_REFLECTION, List.of(new EmptyScheduleService()))) {
      ManagedChannel channel = channel(runner);
      var health = HealthGrpc.newBlockingStub(channel);
      assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
      assertEquals(ServingStatus.SERVING,
          health.check(HealthCheckRequest.newBuilder().setService(SCHEDULE_SERVICE).build()).getStatus());
      assertTrue(listedServices(channel).contains(SCHEDULE_SERVICE));
    }
  }

  /** A probe is a caller too: bytes that are no HealthCheckRequest get INVALID_ARGUMENT, not grpc-java's UNKNOWN. */
  @Test
  void healthAnswersUndecodableBytesWithInvalidArgument() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", WITH_REFLECTION, List.of(new EmptyScheduleService()))) {
      MethodDescriptor<byte[], byte[]> check = HealthGrpc.getCheckMethod().toBuilder(BYTES, BYTES).build();
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
          channel(runner), check, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
          new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
      assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.getStatus().toString());
      assertEquals("request: not a valid grpc.health.v1.HealthCheckRequest message", refused.getStatus().getDescription());
    }
  }

  /** The bytes of a message as they are, so that a test can send what no stub would. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** Older clients ask for v1alpha reflection first. */
  @Test
  void servesReflectionV1AlphaToo() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", WITH_REFLECTION, List.of(new EmptyScheduleService()))) {
      var call = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newBlockingV2Stub(channel(runner))
          .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo();
      call.write(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
      call.halfClose();
      List<String> listed = call.read().getListServicesResponse().getServiceList().stream()
          .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).toList();
      assertTrue(listed.contains(SCHEDULE_SERVICE), listed.toString());
    }
  }

  /** Reflection tells anyone every service and message: a server answers it only when asked to. */
  @Test
  void servesNoReflectionUnlessAsked() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", Endpoint.loopback(), List.of(new EmptyScheduleService()))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> listedServices(channel(runner)));
      assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(e.getCause()).getCode(), e.getCause().toString());
    }
  }

  /**
   * With a short max age the server keeps asking the client to reconnect: calls go on over a new connection
   * (a new client port), and none of them fails at the switch.
   */
  @Test
  void connectionsOlderThanTheMaxAgeAreReplacedWithoutFailingACall() throws Exception {
    Set<SocketAddress> clientAddresses = ConcurrentHashMap.newKeySet();
    ServerInterceptor recordClient = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        clientAddresses.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        return next.startCall(call, headers);
      }
    };
    BindableService recorded = () -> ServerInterceptors.intercept(new EmptyScheduleService(), recordClient);
    Endpoint endpoint = Endpoint.loopback().withMaxConnectionAge(Duration.ofMillis(200));
    try (ServerRunner runner = ServerRunner.start("test", endpoint, List.of(recorded))) {
      var schedules = ScheduleServiceGrpc.newBlockingStub(channel(runner));
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int calls = 0;
      while (clientAddresses.size() < 2 && System.nanoTime() < giveUp) {
        schedules.withDeadlineAfter(10, TimeUnit.SECONDS).getSchedule(GetScheduleRequest.getDefaultInstance());
        calls++;
      }
      assertTrue(clientAddresses.size() >= 2, "one connection for all " + calls + " calls: " + clientAddresses);
    }
  }

  @Test
  void closingStopsTheServerThenClosesItsResourcesInOrder() throws Exception {
    List<String> closed = new ArrayList<>();
    ServerRunner runner = ServerRunner.start("test", Endpoint.loopback(), List.of(new EmptyScheduleService()),
        () -> closed.add("first"), () -> closed.add("second"));
    assertTrue(runner.port() > 0);
    runner.close();
    assertEquals(List.of("first", "second"), closed);
  }

  /** The drain timeout is the endpoint's: here none, so a call still running is cancelled at once. */
  @Test
  void aCallStillRunningWhenTheDrainTimeoutEndsIsCancelled() throws Exception {
    HeldScheduleService held = new HeldScheduleService();
    ServerRunner runner =
        ServerRunner.start("test", Endpoint.loopback().withDrainTimeout(Duration.ZERO), List.of(held));
    var call = ScheduleServiceGrpc.newFutureStub(channel(runner)).getSchedule(GetScheduleRequest.getDefaultInstance());
    assertTrue(held.entered.await(30, TimeUnit.SECONDS), "the call never reached the service");

    runner.close();
    held.release.countDown();

    ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    assertEquals(Status.Code.CANCELLED, Status.fromThrowable(e.getCause()).getCode(), e.getCause().toString());
  }

  /** Closing begins (the client is told to go away) before the call may answer, and it still answers. */
  @Test
  void aCallInFlightWhenClosingBeginsFinishesWithinTheDrainTimeout() throws Exception {
    HeldScheduleService held = new HeldScheduleService();
    ServerRunner runner = ServerRunner.start("test", Endpoint.loopback(), List.of(held));
    ManagedChannel channel = channel(runner);
    var call = ScheduleServiceGrpc.newFutureStub(channel).getSchedule(GetScheduleRequest.getDefaultInstance());
    assertTrue(held.entered.await(30, TimeUnit.SECONDS), "the call never reached the service");
    awaitReady(channel);
    CountDownLatch toldToGoAway = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.READY, toldToGoAway::countDown);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(runner::close);
    assertTrue(toldToGoAway.await(30, TimeUnit.SECONDS), "the connection outlived the start of closing");
    held.release.countDown();

    assertEquals(GetScheduleResponse.getDefaultInstance(), call.get(30, TimeUnit.SECONDS));
    closed.get(30, TimeUnit.SECONDS);
  }

  /**
   * An open health Watch sees NOT_SERVING as closing begins and then ends, so that the server stops once its
   * last call has answered instead of at the end of its drain timeout (here ten minutes: a Watch still holding
   * it would fail the wait below).
   */
  @Test
  void anOpenHealthWatchEndsAsClosingBeginsAndDoesNotHoldTheDrain() throws Exception {
    HeldScheduleService held = new HeldScheduleService();
    ServerRunner runner = ServerRunner.start("test", Endpoint.loopback().withDrainTimeout(Duration.ofMinutes(10)),
        List.of(held));
    ManagedChannel channel = channel(runner);
    WatchRecorder watch = new WatchRecorder();
    HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), watch);
    assertEquals(ServingStatus.SERVING, watch.statuses.poll(30, TimeUnit.SECONDS));
    var call = ScheduleServiceGrpc.newFutureStub(channel).getSchedule(GetScheduleRequest.getDefaultInstance());
    assertTrue(held.entered.await(30, TimeUnit.SECONDS), "the call never reached the service");

    CompletableFuture<Void> closed = CompletableFuture.runAsync(runner::close);
    assertEquals(ServingStatus.NOT_SERVING, watch.statuses.poll(30, TimeUnit.SECONDS));
    Status ended = watch.ended.get(30, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAVAILABLE, ended.getCode(), ended.toString());
    assertTrue(!closed.isDone(), "closing did not wait for the call in flight");
    held.release.countDown();

    assertEquals(GetScheduleResponse.getDefaultInstance(), call.get(30, TimeUnit.SECONDS));
    closed.get(30, TimeUnit.SECONDS);
  }

  /** The statuses a health Watch streams, and the status it ends with. */
  private static final class WatchRecorder implements StreamObserver<HealthCheckResponse> {
    final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();

    @Override
    public void onNext(HealthCheckResponse response) {
      statuses.add(response.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }

  @Test
  void servesNoMetricsUnlessAsked() throws Exception {
    try (ServerRunner runner = ServerRunner.start("test", Endpoint.loopback(), List.of(new EmptyScheduleService()))) {
      assertEquals(Optional.empty(), runner.metricsUrl());
    }
  }

  @Test
  void countsCallsAtItsMetricsEndpointUntilClosed() throws Exception {
    ServerRunner runner = ServerRunner.builder("test", Endpoint.loopback().withMetricsPort(0),
            List.of(new EmptyScheduleService()))
        .metrics(new PrometheusRegistry())
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
  void aMetricsPortWithoutARegistryIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerRunner.start("scheduler",
        Endpoint.loopback().withMetricsPort(0), List.of(new EmptyScheduleService())));
    assertEquals("scheduler: metrics port 0 given but no registry to serve: call metrics(registry)", e.getMessage());
  }

  @Test
  void aGrpcPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IOException e = assertThrows(IOException.class,
          () -> ServerRunner.start("scheduler", Endpoint.of("127.0.0.1", taken.getLocalPort()),
              List.of(new EmptyScheduleService())));
      assertTrue(e.getMessage().startsWith("scheduler: gRPC port " + taken.getLocalPort() + " on 127.0.0.1: "),
          e.getMessage());
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
  }

  /** The endpoint names its own port; the gRPC server that would have started with it does not start. */
  @Test
  void aMetricsPortInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      IOException e = assertThrows(IOException.class,
          () -> ServerRunner.builder("scheduler", Endpoint.loopback().withMetricsPort(taken.getLocalPort()),
                  List.of(new EmptyScheduleService()))
              .metrics(new PrometheusRegistry()).start());
      assertEquals("metrics port " + taken.getLocalPort() + " on 127.0.0.1: Address already in use", e.getMessage());
    }
  }

  private static String get(String url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /**
   * A channel reports a state change after the call that caused it may already have reached the server, so a test
   * that needs READY waits for it.
   */
  private static void awaitReady(ManagedChannel channel) throws InterruptedException {
    ConnectivityState state = channel.getState(false);
    while (state != ConnectivityState.READY) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      assertTrue(changed.await(30, TimeUnit.SECONDS), "the channel stayed " + state);
      state = channel.getState(false);
    }
  }

  private ManagedChannel channel(ServerRunner runner) {
    ManagedChannel channel = Channels.plaintext(runner.address());
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
