package ddpm.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpm.api.v1.GetScheduleRequest;
import ddpm.api.v1.GetScheduleResponse;
import ddpm.api.v1.ScheduleServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Channels over a static list of replicas: round_robin spreads calls, retries step past a failing replica. */
class ReplicasTest {
  /** Calls made at most while waiting for a replica to be picked; round_robin picks each within a few. */
  private static final int MAX_CALLS = 5_000;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Counts the calls it receives; answers them all OK, or all with {@code failure} when one is given. */
  private static final class Replica extends ScheduleServiceGrpc.ScheduleServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();
    private final Status failure;

    Replica(Status failure) {
      this.failure = failure;
    }

    @Override
    public void getSchedule(GetScheduleRequest request, StreamObserver<GetScheduleResponse> observer) {
      calls.incrementAndGet();
      if (failure != null) {
        observer.onError(failure.asRuntimeException());
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

  @Test
  void aStaticListSpreadsCallsOverEveryReplica() throws IOException {
    Replica a = new Replica(null);
    Replica b = new Replica(null);
    ScheduleServiceGrpc.ScheduleServiceBlockingStub stub = stubFor(serve(a) + "," + serve(b));

    int calls = 0;
    while ((a.calls.get() == 0 || b.calls.get() == 0) && calls < MAX_CALLS) {
      call(stub);
      calls++;
    }

    assertTrue(a.calls.get() > 0 && b.calls.get() > 0, "a: " + a.calls + " calls, b: " + b.calls + " calls");
  }

  /**
   * Replica a answers every call UNAVAILABLE, as a replica that is going away does: every call still
   * succeeds, since its retry is picked by round_robin onto b. Retrying on a instead would fail all four
   * attempts of a call.
   */
  @Test
  void aCallThatFailsUnavailableIsRetriedOnTheOtherReplica() throws IOException {
    Replica a = new Replica(Status.UNAVAILABLE.withDescription("going away"));
    Replica b = new Replica(null);
    ScheduleServiceGrpc.ScheduleServiceBlockingStub stub = stubFor(serve(a) + "," + serve(b));

    int calls = 0;
    while (a.calls.get() < 10 && calls < MAX_CALLS) {
      call(stub); // throws, failing the test, if a call is not retried onto b
      calls++;
    }

    assertTrue(a.calls.get() >= 10, "a was asked " + a.calls + " times in " + calls + " calls");
    assertEquals(calls, b.calls.get());
  }

  @Test
  void aReplicaThatIsDownFromTheStartIsSkipped() throws IOException {
    Replica b = new Replica(null);
    ScheduleServiceGrpc.ScheduleServiceBlockingStub stub = stubFor("127.0.0.1:" + closedPort() + "," + serve(b));

    for (int i = 0; i < 20; i++) {
      call(stub);
    }

    assertEquals(20, b.calls.get());
  }

  @Test
  void otherCodesAreNotRetried() throws IOException {
    Replica a = new Replica(Status.NOT_FOUND.withDescription("no such model"));
    ScheduleServiceGrpc.ScheduleServiceBlockingStub stub = stubFor(serve(a));

    Status status = Status.fromThrowable(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> call(stub)));

    assertEquals(Status.Code.NOT_FOUND, status.getCode());
    assertEquals(1, a.calls.get());
  }

  private String serve(Replica replica) throws IOException {
    ServerRunner server = ServerRunner.start("replica", Endpoint.loopback(), List.of(replica));
    resources.push(server);
    return server.address();
  }

  private ScheduleServiceGrpc.ScheduleServiceBlockingStub stubFor(String target) {
    ManagedChannel channel = Channels.plaintext(target);
    resources.push(() -> Channels.close(channel));
    return ScheduleServiceGrpc.newBlockingStub(channel);
  }

  private static void call(ScheduleServiceGrpc.ScheduleServiceBlockingStub stub) {
    stub.withDeadlineAfter(30, TimeUnit.SECONDS).getSchedule(GetScheduleRequest.getDefaultInstance());
  }

  /** A loopback port nothing listens on: bound, then released. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
