package ddpm.grpc.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import ddpm.api.v1.ScheduleServiceGrpc.ScheduleServiceBlockingStub;
import ddpm.grpc.Channels;
import ddpm.grpc.Endpoint;
import ddpm.grpc.ServerRunner;
import ddpm.metrics.GrpcClientMetrics;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Channels over replicas, and failover calls through them, against real servers on loopback: each a replica of
 * a schedule service whose answers the test scripts call by call, most given as a static list, as
 * {@code --scheduler A,B} gives them.
 */
class FailoverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Answers call n (from 1) with {@code answers.apply(n)}, or OK where that is null; counts its calls. */
  private static final class Replica extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch secondCall = new CountDownLatch(2);
    private final IntFunction<Status> answers;

    Replica(IntFunction<Status> answers) {
      this.answers = answers;
    }

    static Replica always(Status status) {
      return new Replica(n -> status);
    }

    static Replica healthy() {
      return always(null);
    }

    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      Status answer = answers.apply(calls.incrementAndGet());
      secondCall.countDown();
      if (answer != null) {
        observer.onError(answer.asRuntimeException());
      } else {
        observer.onNext(GetScheduleResponse.getDefaultInstance());
        observer.onCompleted();
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    while (!resources.isEmpty()) {
      resources.pop().close();
    }
  }

  /** Calls outside a Failover are spread as round_robin spreads them: both replicas of a list get some. */
  @Test
  void aStaticListSpreadsCallsOverEveryReplica() throws IOException {
    Replica a = Replica.healthy();
    Replica b = Replica.healthy();
    ScheduleServiceBlockingStub stub = stubFor(serve(a) + "," + serve(b));

    connectBoth(stub, a, b);
  }

  @Test
  void aReplicaThatIsDownFromTheStartIsSkipped() throws IOException {
    Replica b = Replica.healthy();
    ScheduleServiceBlockingStub stub = stubFor(stoppedReplica() + "," + serve(b));

    for (int i = 0; i < 20; i++) {
      getSchedule(stub);
    }

    assertEquals(20, b.calls.get());
  }

  /**
   * One replica has unloaded the version (FAILED_PRECONDITION), or never had it (NOT_FOUND): every call
   * succeeds on the other, and reaches the refusing one at most once, though eight threads share the channel's
   * round_robin: the retry is steered past it, not left to the next turn of round_robin.
   */
  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"FAILED_PRECONDITION", "NOT_FOUND", "RESOURCE_EXHAUSTED",
      "UNAVAILABLE"})
  void aCallRefusedByOneReplicaSucceedsOnTheOtherAndNeverAsksTheRefusingOneTwice(Status.Code code)
      throws Exception {
    Replica refusing = Replica.always(Status.fromCode(code).withDescription("this replica's refusal"));
    Replica healthy = Replica.healthy();
    ScheduleServiceBlockingStub stub = stubFor(serve(refusing) + "," + serve(healthy));
    Failover failover = new Failover("scheduler", TIMEOUT);
    int threads = 8;
    int callsEach = 25;

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    resources.push(pool::shutdownNow);
    List<Future<Integer>> callers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      callers.add(pool.submit(() -> {
        for (int c = 0; c < callsEach; c++) {
          failover.call(stub, FailoverTest::getSchedule);
        }
        return callsEach;
      }));
    }
    for (Future<Integer> caller : callers) {
      caller.get(1, TimeUnit.MINUTES);
    }

    assertEquals(threads * callsEach, healthy.calls.get());
    assertTrue(refusing.calls.get() > 0, "round_robin never picked the refusing replica");
    assertTrue(refusing.calls.get() <= threads * callsEach,
        refusing.calls + " refusals for " + threads * callsEach + " calls: some call was refused twice");
  }

  /** A version no replica has fails once each replica has refused it in two rounds: four calls, not more. */
  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"FAILED_PRECONDITION", "NOT_FOUND"})
  void aRefusalEveryReplicaSharesFailsAfterTwoRounds(Status.Code code) throws IOException {
    AtomicBoolean refusing = new AtomicBoolean();
    Status noVersion = Status.fromCode(code).withDescription("model \"m\" has no version 7");
    Replica a = new Replica(n -> refusing.get() ? noVersion : null);
    Replica b = new Replica(n -> refusing.get() ? noVersion : null);
    ScheduleServiceBlockingStub stub = stubFor(serve(a) + "," + serve(b));
    connectBoth(stub, a, b);
    refusing.set(true);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> new Failover("denoiser", TIMEOUT).call(stub, FailoverTest::getSchedule));

    assertEquals(code, e.getStatus().getCode());
    assertEquals("model \"m\" has no version 7", e.getStatus().getDescription());
    assertEquals(2, a.calls.get());
    assertEquals(2, b.calls.get());
  }

  /** A full queue is passing: the only replica is asked again, after a wait, until it takes the call. */
  @Test
  void aFullQueueIsAskedAgainUntilItTakesTheCall() throws IOException {
    Replica filling = new Replica(n -> n <= 3 ? Status.RESOURCE_EXHAUSTED.withDescription("queue full") : null);
    ScheduleServiceBlockingStub stub = stubFor(serve(filling));

    new Failover("denoiser", TIMEOUT).call(stub, FailoverTest::getSchedule);

    assertEquals(4, filling.calls.get());
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "CANCELLED",
      "PERMISSION_DENIED", "UNAUTHENTICATED", "INTERNAL", "UNIMPLEMENTED", "OUT_OF_RANGE"})
  void otherCodesAreTheAnswer(Status.Code code) throws IOException {
    Replica a = Replica.always(Status.fromCode(code).withDescription("the answer"));
    Replica b = Replica.always(Status.fromCode(code).withDescription("the answer"));
    ScheduleServiceBlockingStub stub = stubFor(serve(a) + "," + serve(b));

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> new Failover("scheduler", TIMEOUT).call(stub, FailoverTest::getSchedule));

    assertEquals(code, e.getStatus().getCode());
    assertEquals(1, a.calls.get() + b.calls.get());
    assertFalse(Failover.isRetried(code));
  }

  /** Nothing listens: the call is tried until its deadline, then fails UNAVAILABLE naming the peer. */
  @Test
  void aPeerThatIsDownFailsUnavailableNamingItOnceTheDeadlineIsNear() throws IOException {
    ScheduleServiceBlockingStub stub = stubFor(stoppedReplica());

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> new Failover("scheduler", Duration.ofSeconds(2)).call(stub, FailoverTest::getSchedule));

    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    String message = e.getStatus().getDescription();
    assertTrue(message.startsWith("scheduler: ") && message.contains("before the deadline"), message);
  }

  /**
   * The only replica stops, and a call begins while it is down; it comes back on the same port and the call,
   * which has waited meanwhile, gets its answer.
   */
  @Test
  void aCallWaitsForItsOnlyReplicaToComeBack() throws Exception {
    ServerRunner first = ServerRunner.start("scheduler", Endpoint.loopback(), List.of(Replica.healthy()));
    int port = first.port();
    ManagedChannel channel = channelTo("127.0.0.1:" + port);
    ScheduleServiceBlockingStub stub = ScheduleServiceGrpc.newBlockingStub(channel);
    getSchedule(stub);
    first.close();

    CompletableFuture<GetScheduleResponse> call = CompletableFuture.supplyAsync(
        () -> new Failover("scheduler", TIMEOUT).call(stub, FailoverTest::getSchedule));
    awaitState(channel, ConnectivityState.TRANSIENT_FAILURE);
    assertFalse(call.isDone(), "the call ended while its only replica was down: " + call);
    Replica restarted = Replica.healthy();
    resources.push(ServerRunner.start("scheduler", Endpoint.of(Endpoint.LOOPBACK, port), List.of(restarted)));

    assertEquals(GetScheduleResponse.getDefaultInstance(), call.get(1, TimeUnit.MINUTES));
    assertEquals(1, restarted.calls.get());
  }

  /** A call waiting to try again stops as soon as the request it serves is cancelled. */
  @Test
  void aCancelledRequestStopsWaiting() throws Exception {
    Replica full = Replica.always(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
    ScheduleServiceBlockingStub stub = stubFor(serve(full));
    Context.CancellableContext request = Context.current().withCancellation();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    resources.push(thread::shutdownNow);

    Future<GetScheduleResponse> call = thread.submit(request.wrap(
        () -> new Failover("denoiser", Duration.ofMinutes(10)).call(stub, FailoverTest::getSchedule)));
    assertTrue(full.secondCall.await(1, TimeUnit.MINUTES), "the call was not retried");
    request.cancel(null);

    Throwable e = assertThrows(ExecutionException.class, () -> call.get(1, TimeUnit.MINUTES)).getCause();
    assertEquals(Status.Code.CANCELLED, Status.fromThrowable(e).getCode(), e.toString());
  }

  /**
   * On a metered channel over two connected replicas, one of which refuses every call, each refusal is a retry
   * that went to the other replica, a failover; every call is recorded once, as it ended, retries and all.
   * (While only the refusing replica is connected, a retry finds no other and waits, then may ask the refusing
   * one again: a retry that is not a failover. Connecting both first keeps that out of the count.)
   */
  @Test
  void aMeteredChannelCountsEachRetryOnTheOtherReplicaAsAFailover() throws IOException {
    Replica refusing = Replica.always(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));
    Replica healthy = Replica.healthy();
    String target = serve(refusing) + "," + serve(healthy);
    PrometheusRegistry registry = new PrometheusRegistry();
    ScheduleServiceBlockingStub stub = meteredStubFor(target, registry);
    String labels = "method=\"GetSchedule\",service=\"ddpm.v1.ScheduleService\",target=\"" + target + "\"";
    String answered = "ddpm_grpc_client_request_seconds_count{code=\"OK\"," + labels + "}";
    connectBoth(stub, refusing, healthy);
    double answeredBefore = sample(registry, answered);
    Failover failover = new Failover("scheduler", TIMEOUT);

    for (int c = 0; c < 20; c++) {
      failover.call(stub, FailoverTest::getSchedule);
    }

    assertTrue(refusing.calls.get() > 0, "round_robin never picked the refusing replica");
    assertEquals(20, healthy.calls.get());
    assertEquals(20, sample(registry, answered) - answeredBefore);
    assertEquals(refusing.calls.get(), sample(registry, "ddpm_grpc_client_retries_total{" + labels + "}"));
    assertEquals(refusing.calls.get(), sample(registry, "ddpm_grpc_client_failovers_total{" + labels + "}"));
  }

  /**
   * The only replica refuses three times, then answers: three retries, none of them a failover. A call that is
   * not a Failover's is recorded too, with the code it ended with.
   */
  @Test
  void aMeteredChannelCountsRetriesOnTheSameReplicaAndTheFinalCode() throws IOException {
    Replica filling = new Replica(n -> n <= 3 ? Status.RESOURCE_EXHAUSTED.withDescription("queue full")
        : n == 5 ? Status.INVALID_ARGUMENT.withDescription("bad") : null);
    String target = serve(filling);
    PrometheusRegistry registry = new PrometheusRegistry();
    ScheduleServiceBlockingStub stub = meteredStubFor(target, registry);

    new Failover("denoiser", TIMEOUT).call(stub, FailoverTest::getSchedule);
    assertThrows(StatusRuntimeException.class, () -> getSchedule(stub));

    String labels = "method=\"GetSchedule\",service=\"ddpm.v1.ScheduleService\",target=\"" + target + "\"";
    assertEquals(5, filling.calls.get());
    assertEquals(1, sample(registry, "ddpm_grpc_client_request_seconds_count{code=\"OK\"," + labels + "}"));
    assertEquals(1, sample(registry,
        "ddpm_grpc_client_request_seconds_count{code=\"INVALID_ARGUMENT\"," + labels + "}"));
    assertEquals(3, sample(registry, "ddpm_grpc_client_retries_total{" + labels + "}"));
    assertEquals(0, sample(registry, "ddpm_grpc_client_failovers_total{" + labels + "}"));
  }

  private ScheduleServiceBlockingStub meteredStubFor(String target, PrometheusRegistry registry) {
    ManagedChannel channel =
        Channels.forTarget(target, InsecureChannelCredentials.create(), new GrpcClientMetrics(registry));
    resources.push(() -> Channels.close(channel));
    return ScheduleServiceGrpc.newBlockingStub(channel);
  }

  /** One series of the registry, as the text format writes it; 0 when it has none (a counter never raised). */
  private static double sample(PrometheusRegistry registry, String series) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(text, registry.scrape());
    return text.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst()
        .orElse(0);
  }

  /**
   * Plain calls, refusals and all, until round_robin has given each replica one (at most 5,000): both are
   * then connected, so that a round asks both. Their counts start again from 0.
   */
  private static void connectBoth(ScheduleServiceBlockingStub stub, Replica a, Replica b) {
    for (int calls = 0; (a.calls.get() == 0 || b.calls.get() == 0) && calls < 5_000; calls++) {
      try {
        getSchedule(stub);
      } catch (StatusRuntimeException refused) {
        // the refusing replica's answer: it is connected
      }
    }
    assertTrue(a.calls.get() > 0 && b.calls.get() > 0, "a: " + a.calls + " calls, b: " + b.calls + " calls");
    a.calls.set(0);
    b.calls.set(0);
  }

  private static GetScheduleResponse getSchedule(ScheduleServiceBlockingStub stub) {
    return stub.getSchedule(GetScheduleRequest.getDefaultInstance());
  }

  private String serve(Replica replica) throws IOException {
    ServerRunner server = ServerRunner.start("replica", Endpoint.loopback(), List.of(replica));
    resources.push(server);
    return server.address();
  }

  private ScheduleServiceBlockingStub stubFor(String target) {
    return ScheduleServiceGrpc.newBlockingStub(channelTo(target));
  }

  private ManagedChannel channelTo(String target) {
    ManagedChannel channel = Channels.plaintext(target);
    resources.push(() -> Channels.close(channel));
    return channel;
  }

  private static void awaitState(ManagedChannel channel, ConnectivityState wanted) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    ConnectivityState state = channel.getState(false);
    while (state != wanted && System.nanoTime() < giveUp) {
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(1, TimeUnit.MINUTES);
      state = channel.getState(false);
    }
    assertEquals(wanted, state);
  }

  /** The address of a replica that has stopped: nothing listens there any more. */
  private static String stoppedReplica() throws IOException {
    ServerRunner stopped = ServerRunner.start("replica", Endpoint.loopback(), List.of(Replica.healthy()));
    String address = stopped.address();
    stopped.close();
    return address;
  }
}
